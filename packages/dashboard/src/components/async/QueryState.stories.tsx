import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn } from 'storybook/test';
import { Box, List } from '@mantine/core';
import { QueryState, type QueryLike } from './QueryState';

function Demo({ query }: { query: QueryLike<string[]> }) {
  return (
    <Box p="md" bg="var(--mantine-color-body)" mih={320}>
      <QueryState query={query} emptyTitle="No rollouts yet" emptyDescription="Enqueue a rollout and refresh.">
        {(items) => (
          <List>
            {items.map((item) => (
              <List.Item key={item}>{item}</List.Item>
            ))}
          </List>
        )}
      </QueryState>
    </Box>
  );
}

const base = { isLoading: false, isFetching: false, refetch: fn() };

const meta = {
  title: 'Components/QueryState',
  component: Demo,
  args: { query: { ...base, data: ['ro-000000000001', 'ro-000000000002'] } },
} satisfies Meta<typeof Demo>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Loading: Story = {
  args: { query: { ...base, isLoading: true, isFetching: true } },
  play: async ({ canvas }) => {
    await expect(canvas.getByTestId('loading-state')).toBeVisible();
  },
};

export const Empty: Story = {
  args: { query: { ...base, data: [] } },
  play: async ({ canvas, userEvent, args }) => {
    await expect(canvas.getByText('No rollouts yet')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Refresh' }));
    await expect(args.query.refetch).toHaveBeenCalledOnce();
  },
};

export const Error: Story = {
  args: { query: { ...base, error: { status: 422, message: 'query.rollout_id: Field required' } } },
  play: async ({ canvas, userEvent, args }) => {
    await expect(canvas.getByText('query.rollout_id: Field required')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }));
    await expect(args.query.refetch).toHaveBeenCalledOnce();
  },
};

export const Loaded: Story = {
  play: async ({ canvas }) => {
    await expect(canvas.getByText('ro-000000000002')).toBeVisible();
  },
};

export const LoadingDark: Story = { ...Loading, globals: { theme: 'dark' } };
export const EmptyDark: Story = { ...Empty, globals: { theme: 'dark' } };
export const ErrorDark: Story = { ...Error, globals: { theme: 'dark' } };
