import type { Meta, StoryObj } from '@storybook/react-vite';
import { Box } from '@mantine/core';
import { expect, screen, waitFor, within } from 'storybook/test';
import { syntheticSpans } from './fixtures/synthetic';
import { AGENT_RUN_ROLLOUT_ID, AGENT_RUN_ATTEMPT_ID } from './fixtures';
import { TracesPage } from './page/TracesPage';
import {
  emptySpansHandlers,
  failingSpansHandlers,
  loadingSpansHandlers,
  selectedAgentRun,
  spansHandlers,
} from './stories/handlers';

function Page() {
  return (
    <Box p="md" bg="var(--mantine-color-body)" mih="100vh">
      <TracesPage />
    </Box>
  );
}

const meta = {
  title: 'Features/Traces/TracesPage',
  component: Page,
  parameters: { msw: { handlers: spansHandlers() }, app: { preloadedState: selectedAgentRun } },
} satisfies Meta<typeof Page>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Tree: Story = {
  play: async ({ canvas, userEvent }) => {
    const tree = await canvas.findByRole('tree', { name: 'Spans' });
    await waitFor(() => expect(within(tree).getAllByRole('treeitem')).toHaveLength(13));
    await expect(canvas.getByTestId('final-reward')).toHaveTextContent('1');
    await expect(canvas.getByTestId('llm-calls')).toHaveTextContent('3');
    // The latest attempt (#2) is chosen by default.
    await expect(canvas.getByRole('textbox', { name: 'Attempt' })).toHaveValue(`#2 · ${AGENT_RUN_ATTEMPT_ID} (latest)`);
    await userEvent.click(canvas.getByRole('button', { name: 'Collapse agent.step' }));
    await expect(within(tree).getAllByRole('treeitem')).toHaveLength(10);
  },
};

export const TreeDark: Story = { ...Tree, globals: { theme: 'dark' } };

export const Table: Story = {
  play: async ({ canvas, userEvent }) => {
    await canvas.findByRole('tree', { name: 'Spans' });
    await userEvent.click(canvas.getByText('Table', { exact: true }));
    const table = await canvas.findByRole('table', { name: 'Spans table' });
    await userEvent.click(within(table).getByRole('button', { name: /Duration/ }));
    await userEvent.click(within(table).getByRole('button', { name: /Duration/ }));
    const firstRow = table.querySelector('tbody tr');
    await expect(firstRow?.textContent).toContain('calc_agent.run');
    await userEvent.type(canvas.getByRole('textbox', { name: 'Search spans' }), 'reward');
    await waitFor(() => expect(table.querySelectorAll('tbody tr')).toHaveLength(1));
  },
};

export const TableDark: Story = { ...Table, globals: { theme: 'dark' } };

export const SwitchAttempt: Story = {
  play: async ({ canvas, userEvent }) => {
    await canvas.findByRole('tree', { name: 'Spans' });
    await userEvent.click(canvas.getByRole('textbox', { name: 'Attempt' }));
    await userEvent.click(await screen.findByRole('option', { name: /#1 · at-0f1e2d3c/ }));
    // A new attempt mounts a new tree (fresh expansion and scroll), so look it up again.
    await waitFor(() =>
      expect(within(canvas.getByRole('tree', { name: 'Spans' })).queryAllByRole('treeitem')).toHaveLength(2),
    );
  },
};

export const Loading: Story = {
  parameters: { msw: { handlers: loadingSpansHandlers } },
  play: async ({ canvas }) => {
    await expect(await canvas.findByTestId('loading-state')).toBeVisible();
  },
};

export const Empty: Story = {
  parameters: { msw: { handlers: emptySpansHandlers } },
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('No spans yet')).toBeVisible();
  },
};

export const Error: Story = {
  parameters: { msw: { handlers: failingSpansHandlers } },
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('store unavailable')).toBeVisible();
  },
};

export const ErrorDark: Story = { ...Error, globals: { theme: 'dark' } };

/** 10,000 spans: only the rows in view are in the DOM. */
export const TenThousandSpans: Story = {
  parameters: {
    msw: {
      handlers: spansHandlers(
        syntheticSpans(10_000, { rolloutId: AGENT_RUN_ROLLOUT_ID, attemptId: AGENT_RUN_ATTEMPT_ID }),
      ),
    },
  },
  play: async ({ canvas }) => {
    const tree = await canvas.findByRole('tree', { name: 'Spans' }, { timeout: 10_000 });
    await expect(canvas.getByTestId('span-count')).toHaveTextContent('10,000');
    await expect(within(tree).getAllByRole('treeitem').length).toBeLessThan(120);
  },
};
