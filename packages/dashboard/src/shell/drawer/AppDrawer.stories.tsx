import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, screen, waitFor } from 'storybook/test';
import { AppDrawer } from './AppDrawer';
import { healthyHandlers, sampleResources, sampleRollout } from '../../test/storyHandlers';

const meta = {
  title: 'Shell/AppDrawer',
  component: AppDrawer,
  parameters: {
    msw: { handlers: healthyHandlers },
    app: {
      preloadedState: {
        ui: {
          drawers: { content: { type: 'rawJson', subject: { kind: 'rollout', rolloutId: sampleRollout.rollout_id } } },
        },
      },
    },
  },
} satisfies Meta<typeof AppDrawer>;

export default meta;
type Story = StoryObj<typeof meta>;

export const RawJsonRollout: Story = {
  play: async () => {
    // The drawer renders in a portal; its JSON is read from the (msw-backed) rollouts cache entry.
    await expect(await screen.findByText(`Rollout ${sampleRollout.rollout_id}`)).toBeVisible();
    await expect(await screen.findByRole('button', { name: 'Copy JSON' })).toBeVisible();
    // code-highlight is lazy: wait for the highlighted version to replace the plain one.
    await waitFor(() => expect(document.querySelector('[data-testid="json-highlighted"]')).not.toBeNull(), {
      timeout: 5_000,
    });
    await expect(document.querySelector('.hljs-attr')?.textContent).toBe('"rollout_id"');
  },
};

export const RawJsonRolloutDark: Story = { ...RawJsonRollout, globals: { theme: 'dark' } };

export const RawJsonResources: Story = {
  parameters: {
    app: {
      preloadedState: {
        ui: {
          drawers: {
            content: { type: 'rawJson', subject: { kind: 'resources', resourcesId: sampleResources.resources_id } },
          },
        },
      },
    },
  },
  play: async () => {
    await expect(await screen.findByText(/"qwen2\.5"/)).toBeVisible();
  },
};

export const MissingSubject: Story = {
  parameters: {
    app: {
      preloadedState: {
        ui: { drawers: { content: { type: 'rawJson', subject: { kind: 'rollout', rolloutId: 'ro-gone' } } } },
      },
    },
  },
  play: async () => {
    await expect(await screen.findByTestId('raw-json-missing')).toBeVisible();
  },
};
