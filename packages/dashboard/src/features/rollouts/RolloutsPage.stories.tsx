import type { Meta, StoryObj } from '@storybook/react-vite';
import { Box } from '@mantine/core';
import { expect, screen, waitFor, within } from 'storybook/test';
import { RolloutsPage } from './RolloutsPage';
import {
  compositeStatuses,
  everyStatus,
  failingHandlers,
  loadingHandlers,
  longInputs,
  manyRollouts,
  retried,
  retriedAttempts,
  rolloutsHandlers,
} from './stories/rolloutStoryData';

function Page() {
  return (
    <Box p="md" bg="var(--mantine-color-body)" mih="100vh">
      <RolloutsPage />
    </Box>
  );
}

const meta = {
  title: 'Features/Rollouts/RolloutsPage',
  component: Page,
  parameters: { msw: { handlers: rolloutsHandlers([...everyStatus, ...compositeStatuses]) } },
} satisfies Meta<typeof Page>;

export default meta;
type Story = StoryObj<typeof meta>;

const rowTexts = (root: HTMLElement) =>
  [...root.querySelectorAll('[data-testid=rollout-row]')].map((row) => row.getAttribute('data-key'));

export const Loading: Story = {
  parameters: { msw: { handlers: loadingHandlers } },
  play: async ({ canvas }) => {
    await expect(await canvas.findByTestId('loading-state')).toBeVisible();
  },
};

export const Empty: Story = {
  parameters: { msw: { handlers: rolloutsHandlers([]) } },
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('No rollouts yet')).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Refresh' })).toBeVisible();
  },
};

export const ServerError: Story = {
  parameters: { msw: { handlers: failingHandlers } },
  play: async ({ canvas }) => {
    const error = await canvas.findByTestId('error-state', {}, { timeout: 5_000 });
    await expect(error).toHaveTextContent('database is locked');
  },
};

export const EveryStatus: Story = {
  parameters: { msw: { handlers: rolloutsHandlers(everyStatus) } },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await waitFor(() => expect(canvas.getAllByTestId('rollout-row')).toHaveLength(everyStatus.length));
    for (const status of ['queuing', 'preparing', 'running', 'succeeded', 'failed', 'cancelled', 'requeuing']) {
      await expect(canvas.getByText(status, { selector: '[data-status] *, [data-status]' })).toBeVisible();
    }
    // Newest start time first by default; one click on Start Time flips it.
    const newestFirst = rowTexts(canvasElement);
    await expect(newestFirst[0]).toBe(everyStatus.at(-1)!.rollout_id);
    await userEvent.click(canvas.getByRole('button', { name: /Start Time/ }));
    await waitFor(() => expect(rowTexts(canvasElement)).toEqual([...newestFirst].reverse()));
    await expect(canvas.getByTestId('rollouts-count')).toHaveTextContent(`Showing 1–7 of 7`);
  },
};

export const EveryStatusDark: Story = { ...EveryStatus, globals: { theme: 'dark' } };

export const CompositeStatuses: Story = {
  parameters: { msw: { handlers: rolloutsHandlers(compositeStatuses) } },
  play: async ({ canvas, userEvent }) => {
    for (const label of ['requeuing - timeout', 'failed - unresponsive', 'cancelled - running', 'requeuing - failed']) {
      await expect(await canvas.findByText(label)).toBeVisible();
    }
    // Filtering by an attempt status finds the rollouts whose latest attempt has it.
    await userEvent.click(canvas.getByRole('textbox', { name: 'Status' }));
    await userEvent.click(await screen.findByRole('option', { name: 'timeout' }));
    await waitFor(() => expect(canvas.getAllByTestId('rollout-row')).toHaveLength(1));
    await expect(canvas.getByTestId('rollouts-count')).toHaveTextContent('Showing 1–1 of 1 (filtered from 4)');
    await userEvent.click(canvas.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(canvas.getAllByTestId('rollout-row')).toHaveLength(4));
  },
};

export const ExpandedRow: Story = {
  parameters: {
    msw: { handlers: rolloutsHandlers([retried, ...everyStatus], { [retried.rollout_id]: retriedAttempts }) },
  },
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(await canvas.findByRole('button', { name: `Show attempts of ${retried.rollout_id}` }));
    const nested = await canvas.findByRole('region', { name: `Attempts of ${retried.rollout_id}` });
    await waitFor(() => expect(within(nested).getAllByTestId('attempt-row')).toHaveLength(3));
    // Nested rows show each attempt's own status.
    await expect(within(nested).getByText('timeout')).toBeVisible();
    await expect(within(nested).getByText('at-c0ffee01')).toBeVisible();
    // Header, rollout rows and nested rows come from one column list: every row has a cell under each header.
    const headers = canvas.getAllByRole('columnheader').length / 2; // the page's header and the nested one
    await expect(canvas.getAllByTestId('rollout-row')[0]!.querySelectorAll('td')).toHaveLength(headers);
    await expect(within(nested).getAllByTestId('attempt-row')[0]!.querySelectorAll('td')).toHaveLength(headers);
  },
};

export const LongInputs: Story = {
  parameters: { msw: { handlers: rolloutsHandlers(longInputs) } },
  play: async ({ canvas, userEvent }) => {
    await waitFor(() => expect(canvas.getAllByTestId('rollout-input')).toHaveLength(longInputs.length));
    for (const cell of canvas.getAllByTestId('rollout-input')) {
      await expect([...(cell.textContent ?? '')].length).toBeLessThanOrEqual(35);
    }
    await expect(canvas.getByText('null')).toBeVisible();
    const cut = canvas.getAllByTestId('rollout-input').find((cell) => cell.textContent?.startsWith('"Résume'))!;
    await expect(cut.textContent?.endsWith('…')).toBe(true);
    await userEvent.hover(cut);
    await expect(await screen.findByText(/Le chat dort au soleil/)).toBeVisible();
  },
};

export const Paging: Story = {
  parameters: { msw: { handlers: rolloutsHandlers(manyRollouts) } },
  play: async ({ canvas, userEvent }) => {
    await expect(await canvas.findByTestId('rollouts-count')).toHaveTextContent('Showing 1–100 of 250');
    await userEvent.click(canvas.getByRole('button', { name: '3' }));
    await expect(canvas.getByTestId('rollouts-count')).toHaveTextContent('Showing 201–250 of 250');
    await expect(canvas.getAllByTestId('rollout-row')).toHaveLength(50);
    await userEvent.type(canvas.getByRole('textbox', { name: 'Search' }), manyRollouts[7]!.rollout_id.slice(-5));
    await waitFor(() => expect(canvas.getAllByTestId('rollout-row')).toHaveLength(1));
  },
};
