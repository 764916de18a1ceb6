import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, screen, waitFor } from 'storybook/test';
import { AppRoutes } from '../routes';
import { useGetRolloutsQuery } from '../../api/rollouts';
import {
  apiKeyHandlers,
  degradedHandlers,
  healthyHandlers,
  slowDataHandlers,
  unreachableHandlers,
} from '../../test/storyHandlers';

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

export const StoreDegraded: Story = {
  parameters: { msw: { handlers: degradedHandlers } },
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'degraded'));
    // The toast slides in.
    await waitFor(() => expect(screen.getByText('Store degraded')).toBeVisible());
  },
};

/** A store started with --api-key: the first 401 asks for the key, a wrong one is refused, the right one loads. */
export const ApiKeyRequired: Story = {
  parameters: { app: { route: '/rollouts' }, msw: { handlers: apiKeyHandlers('right-key') } },
  play: async ({ canvas, userEvent }) => {
    const dialog = await screen.findByRole('dialog', { name: 'API key required' });
    await waitFor(() => expect(dialog).toBeVisible());
    await userEvent.type(screen.getByLabelText('API key'), 'wrong-key{Enter}');
    await expect(await screen.findByTestId('api-key-refused')).toBeVisible();
    await userEvent.type(screen.getByLabelText('API key'), 'right-key{Enter}');
    await expect(await canvas.findByTestId('rollout-row', {}, { timeout: 5_000 })).toBeVisible();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'API key required' })).toBeNull());
  },
};

export const NotFound: Story = {
  parameters: { app: { route: '/no/such/page' } },
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('Page not found')).toBeVisible();
  },
};
