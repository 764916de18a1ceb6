import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { AppRoutes } from '../routes';
import { useGetRolloutsQuery } from '../../api/rollouts';
import { healthyHandlers, slowDataHandlers, unreachableHandlers } from '../../test/storyHandlers';

/** The whole shell with the real routes; the store behind it is msw. */
const meta = {
  title: 'Shell/AppShell',
  component: AppRoutes,
  parameters: { app: { route: '/settings' }, msw: { handlers: healthyHandlers } },
} satisfies Meta<typeof AppRoutes>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvas, userEvent }) => {
    await expect(await canvas.findByText('Agent-lightning Dashboard')).toBeVisible();
    const nav = canvas.getByRole('navigation', { name: 'Main' });
    await expect(await canvas.findByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
    await waitFor(() => expect(canvas.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'connected'));

    await userEvent.click(canvas.getByRole('link', { name: 'Resources' }));
    await waitFor(() =>
      expect(canvas.getByRole('link', { name: 'Resources' })).toHaveAttribute('aria-current', 'page'),
    );
    await expect(canvas.getByRole('link', { name: 'Settings' })).not.toHaveAttribute('aria-current');
    await expect(nav).toBeVisible();
  },
};

export const Dark: Story = { ...Default, globals: { theme: 'dark' } };

export const StoreUnreachable: Story = {
  parameters: { msw: { handlers: unreachableHandlers } },
  play: async ({ canvas }) => {
    await waitFor(() =>
      expect(canvas.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'unreachable'),
    );
  },
};

/** Holds a rollouts request open, whatever the pages do, so the footer has something in flight. */
function PendingRequest() {
  useGetRolloutsQuery();
  return null;
}

export const Refreshing: Story = {
  parameters: { msw: { handlers: slowDataHandlers } },
  render: () => (
    <>
      <AppRoutes />
      <PendingRequest />
    </>
  ),
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('Refreshing')).toBeVisible();
  },
};

export const NotFound: Story = {
  parameters: { app: { route: '/no/such/page' } },
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('Page not found')).toBeVisible();
  },
};
