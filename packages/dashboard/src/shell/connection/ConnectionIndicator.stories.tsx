import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, screen, waitFor } from 'storybook/test';
import { Box } from '@mantine/core';
import { ConnectionIndicator } from './ConnectionIndicator';

const meta = {
  title: 'Shell/ConnectionIndicator',
  component: ConnectionIndicator,
  decorators: [
    (Story) => (
      <Box p="md" w={280} bg="var(--mantine-color-body)">
        <Story />
      </Box>
    ),
  ],
  args: { baseUrl: 'http://127.0.0.1:4747', state: 'connected', refreshing: false },
} satisfies Meta<typeof ConnectionIndicator>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Connected: Story = {
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Connected')).toBeVisible();
    await expect(canvas.getByText('http://127.0.0.1:4747')).toBeVisible();
  },
};

export const Unreachable: Story = {
  args: { state: 'unreachable', errorMessage: 'Cannot reach http://127.0.0.1:4747 (Failed to fetch)' },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Unreachable')).toBeVisible();
    await expect(canvas.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'unreachable');
  },
};

export const Refreshing: Story = {
  args: { refreshing: true },
  play: async ({ canvas }) => {
    const label = canvas.getByText('Refreshing');
    await expect(label).toBeVisible();
    // The blink is a CSS animation on the label.
    await expect(getComputedStyle(label).animationName).not.toBe('none');
  },
};

export const RefreshingWhileUnreachable: Story = {
  args: { state: 'unreachable', refreshing: true },
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Unreachable')).toBeVisible();
    await expect(canvas.queryByText('Refreshing')).toBeNull();
  },
};

export const Connecting: Story = { args: { state: 'connecting' } };

/** The store answers but its watchdog keeps failing: orange, steady, the problems on hover or focus. */
export const Degraded: Story = {
  args: {
    state: 'degraded',
    refreshing: true,
    problems: [
      { source: 'watchdog', message: 'database is locked', since: Date.now() / 1000 - 125, failures: 3 },
      { source: 'commit', message: 'disk I/O error', since: Date.now() / 1000 - 20, failures: 1 },
    ],
  },
  play: async ({ canvas, userEvent }) => {
    const label = canvas.getByText('Degraded');
    await expect(label).toBeVisible();
    await expect(canvas.queryByText('Refreshing')).toBeNull();
    await expect(getComputedStyle(label).animationName).toBe('none');
    await userEvent.hover(canvas.getByTestId('connection-indicator'));
    // The tooltip fades in.
    await waitFor(() => expect(screen.getByText(/database is locked/)).toBeVisible());
    await expect(screen.getByText(/since 2m \d+s ago · 3 failures in a row/)).toBeVisible();
  },
};

export const ConnectedDark: Story = { ...Connected, globals: { theme: 'dark' } };
export const UnreachableDark: Story = { ...Unreachable, globals: { theme: 'dark' } };
export const RefreshingDark: Story = { ...Refreshing, globals: { theme: 'dark' } };
export const DegradedDark: Story = { ...Degraded, globals: { theme: 'dark' } };
