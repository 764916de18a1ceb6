import type { Meta, StoryObj } from '@storybook/react-vite';
import { Box } from '@mantine/core';
import { delay, http, HttpResponse } from 'msw';
import { expect, waitFor, within } from 'storybook/test';
import { resourceSnapshots } from './fixtures';
import { ResourcesPage } from './page/ResourcesPage';

function Page() {
  return (
    <Box p="md" bg="var(--mantine-color-body)" mih="100vh">
      <ResourcesPage />
    </Box>
  );
}

const health = http.get('*/agl/v1/health', () => HttpResponse.json({ status: 'ok' }));
const withResources = (body: unknown, status = 200) => [
  health,
  http.get('*/agl/v1/resources', () => HttpResponse.json(body as object, { status })),
];

const meta = {
  title: 'Features/Resources/ResourcesPage',
  component: Page,
  parameters: { msw: { handlers: withResources(resourceSnapshots()) } },
} satisfies Meta<typeof Page>;

export default meta;
type Story = StoryObj<typeof meta>;

export const ListAndDetail: Story = {
  play: async ({ canvas, userEvent }) => {
    const list = await canvas.findByRole('table', { name: 'Resource snapshots' });
    const rows = within(list).getAllByRole('row').slice(1);
    await expect(rows).toHaveLength(3);
    await expect(rows[0]).toHaveTextContent('latest');
    const detail = canvas.getByTestId('snapshot-detail');
    await expect(within(detail).getByTestId('api-key')).toHaveTextContent('••••••••2b1c');
    await userEvent.click(within(detail).getByRole('button', { name: 'Reveal API key' }));
    await expect(within(detail).getByTestId('api-key')).toHaveTextContent('sk-test-4f9a8b7c6d5e4f3a2b1c');
    // The template is text, markup included.
    await expect(within(detail).getByTestId('prompt-template')).toHaveTextContent('<b>Question:</b> {{ question }}');
    await userEvent.click(rows[1]!);
    await waitFor(() => expect(canvas.getByTestId('snapshot-detail')).toHaveTextContent('rs-7a8b9c0d1e2f'));
    await expect(canvas.getByTestId('snapshot-detail')).toHaveTextContent('f-string');
  },
};

export const ListAndDetailDark: Story = { ...ListAndDetail, globals: { theme: 'dark' } };

export const Search: Story = {
  play: async ({ canvas, userEvent }) => {
    await canvas.findByRole('table', { name: 'Resource snapshots' });
    await userEvent.type(canvas.getByRole('textbox', { name: 'Search resources' }), '1f2e');
    const list = canvas.getByRole('table', { name: 'Resource snapshots' });
    await waitFor(() => expect(within(list).getAllByRole('row')).toHaveLength(2));
  },
};

export const Loading: Story = {
  parameters: {
    msw: {
      handlers: [
        health,
        http.get('*/agl/v1/resources', async () => {
          await delay('infinite');
          return HttpResponse.json([]);
        }),
      ],
    },
  },
  play: async ({ canvas }) => {
    await expect(await canvas.findByTestId('loading-state')).toBeVisible();
  },
};

export const Empty: Story = {
  parameters: { msw: { handlers: withResources([]) } },
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('No resources yet')).toBeVisible();
  },
};

export const Error: Story = {
  parameters: { msw: { handlers: withResources({ detail: 'database is locked' }, 500) } },
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('database is locked')).toBeVisible();
  },
};

export const ErrorDark: Story = { ...Error, globals: { theme: 'dark' } };
