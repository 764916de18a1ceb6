import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, screen, waitFor } from 'storybook/test';
import { ApiKeyPrompt } from './ApiKeyPrompt';

/** The prompt as the first 401 opens it; the modal renders in a portal, so queries go through `screen`. */
const meta = {
  title: 'Shell/ApiKeyPrompt',
  component: ApiKeyPrompt,
  parameters: {
    app: {
      preloadedState: {
        serverConfig: { baseUrl: 'http://127.0.0.1:4747' },
        ui: { apiKeyPrompt: { status: 'open', refused: false } },
      },
    },
  },
} satisfies Meta<typeof ApiKeyPrompt>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Open: Story = {
  play: async ({ userEvent }) => {
    const dialog = await screen.findByRole('dialog', { name: 'API key required' });
    await expect(dialog).toHaveTextContent('--api-key');
    await expect(dialog).toHaveTextContent('AGL_KEY');
    await expect(screen.queryByTestId('api-key-refused')).toBeNull();
    const save = screen.getByRole('button', { name: 'Save' });
    await expect(save).toBeDisabled();

    const input = screen.getByLabelText('API key');
    await userEvent.type(input, 'my-key');
    await expect(input).toHaveAttribute('type', 'password');
    await userEvent.click(screen.getByRole('button', { name: 'Show or hide the API key' }));
    await expect(input).toHaveAttribute('type', 'text');
    await userEvent.click(save);
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'API key required' })).toBeNull());
  },
};

export const OpenDark: Story = { ...Open, globals: { theme: 'dark' } };

export const Refused: Story = {
  parameters: { app: { preloadedState: { ui: { apiKeyPrompt: { status: 'open', refused: true } } } } },
  play: async () => {
    await expect(await screen.findByTestId('api-key-refused')).toHaveTextContent('That key was refused');
  },
};

export const RefusedDark: Story = { ...Refused, globals: { theme: 'dark' } };
