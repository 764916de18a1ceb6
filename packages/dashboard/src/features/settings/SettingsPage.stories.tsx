import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, screen, waitFor } from 'storybook/test';
import { Code, Stack } from '@mantine/core';
import { useAppSelector } from '../../app/hooks';
import { SettingsPage } from './SettingsPage';

/** Shows the Redux state next to the page, so the play functions can check that a change reached the store. */
function StateProbe() {
  const serverConfig = useAppSelector((state) => state.serverConfig);
  const mode = useAppSelector((state) => state.ui.theme.mode);
  return (
    <Code block data-testid="state-probe">
      {JSON.stringify({ ...serverConfig, theme: mode })}
    </Code>
  );
}

const meta = {
  title: 'Settings/SettingsPage',
  component: SettingsPage,
  render: () => (
    <Stack p="md" bg="var(--mantine-color-body)" mih="100vh">
      <SettingsPage />
      <StateProbe />
    </Stack>
  ),
  parameters: { app: { preloadedState: { serverConfig: { baseUrl: 'http://127.0.0.1:4747', autoRefreshMs: 0 } } } },
} satisfies Meta<typeof SettingsPage>;

export default meta;
type Story = StoryObj<typeof meta>;

const probe = (canvas: { getByTestId: (id: string) => HTMLElement }) =>
  JSON.parse(canvas.getByTestId('state-probe').textContent ?? '{}') as Record<string, unknown>;

export const Default: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('textbox', { name: 'Auto-refresh interval' }));
    // Select options render in a portal outside the canvas.
    await userEvent.click(await screen.findByRole('option', { name: '60 s' }));
    await waitFor(() => expect(probe(canvas).autoRefreshMs).toBe(60_000));
    await expect(canvas.getByRole('textbox', { name: 'Auto-refresh interval' })).toHaveValue('60 s');
  },
};

export const ChangingTheme: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('textbox', { name: 'Theme' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Dark' }));
    await waitFor(() => expect(probe(canvas).theme).toBe('dark'));
    await waitFor(() => expect(document.documentElement).toHaveAttribute('data-mantine-color-scheme', 'dark'));
  },
};

export const InvalidAddress: Story = {
  play: async ({ canvas, userEvent }) => {
    const input = canvas.getByRole('textbox', { name: 'Backend address' });
    await userEvent.clear(input);
    await userEvent.type(input, 'localhost:4747');
    await expect(await canvas.findByText('The address must start with http:// or https://')).toBeVisible();
    await userEvent.tab();
    await expect(probe(canvas).baseUrl).toBe('http://127.0.0.1:4747');

    await userEvent.clear(input);
    await userEvent.type(input, 'http://10.1.2.3:4747/{Enter}');
    await waitFor(() => expect(probe(canvas).baseUrl).toBe('http://10.1.2.3:4747'));
  },
};

export const Dark: Story = { ...Default, globals: { theme: 'dark' } };

export const ApiKey: Story = {
  play: async ({ canvas, userEvent }) => {
    const input = canvas.getByLabelText('API key');
    await expect(input).toHaveAttribute('type', 'password');
    await expect(canvas.getByText(/--api-key/)).toBeVisible();
    await userEvent.type(input, '  s3cret-key{Enter}');
    await waitFor(() => expect(probe(canvas).apiKey).toBe('s3cret-key'));
    await userEvent.click(canvas.getByRole('button', { name: 'Show or hide the API key' }));
    await expect(input).toHaveAttribute('type', 'text');
    // The field shows the key in effect: trimmed.
    await expect(input).toHaveValue('s3cret-key');

    // Emptying the field removes the key.
    await userEvent.clear(input);
    await userEvent.tab();
    await waitFor(() => expect(probe(canvas).apiKey).toBe(''));
  },
};

export const ApiKeyDark: Story = { ...ApiKey, globals: { theme: 'dark' } };
