import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { Group, Stack } from '@mantine/core';
import { ATTEMPT_STATUS_COLOR, ROLLOUT_STATUS_COLOR } from '../lib/status';
import { StatusBadge } from './StatusBadge';
import type { AttemptStatus, RolloutStatus } from '@agl/schemas';

function AllStatuses() {
  return (
    <Stack p="md" bg="var(--mantine-color-body)">
      <Group>
        {(Object.keys(ROLLOUT_STATUS_COLOR) as RolloutStatus[]).map((status) => (
          <StatusBadge key={status} rolloutStatus={status} />
        ))}
      </Group>
      <Group>
        {(Object.keys(ATTEMPT_STATUS_COLOR) as AttemptStatus[]).map((status) => (
          <StatusBadge key={status} attemptStatus={status} />
        ))}
      </Group>
      <Group>
        <StatusBadge rolloutStatus="running" attemptStatus="unresponsive" />
        <StatusBadge rolloutStatus="requeuing" attemptStatus="failed" />
      </Group>
    </Stack>
  );
}

const meta = { title: 'Components/StatusBadge', component: AllStatuses } satisfies Meta<typeof AllStatuses>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Light: Story = {
  play: async ({ canvas }) => {
    await expect(canvas.getByText('running - unresponsive')).toBeVisible();
    await expect(canvas.getAllByText('running')).toHaveLength(2);
  },
};
export const Dark: Story = { ...Light, globals: { theme: 'dark' } };
