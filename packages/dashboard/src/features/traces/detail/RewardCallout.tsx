import { Group, Paper, Stack, Text } from '@mantine/core';
import { IconTrophy } from '@tabler/icons-react';
import { formatReward, type SpanReward } from '../lib/rewards';

const STYLE_LABEL: Record<SpanReward['style'], string> = {
  reward: 'agentlightning.reward',
  annotation: 'agentlightning.annotation',
  agentops: 'AgentOps output',
};

/** The reward value, large, with every named dimension below it (index 0 is the primary one). */
export function RewardCallout({ reward }: { reward: SpanReward }) {
  const named = reward.dimensions.filter((d) => d.name !== null);
  return (
    <Paper p="sm" radius="sm" bg="var(--mantine-color-yellow-light)" data-testid="reward-callout">
      <Group gap="sm" align="center">
        <IconTrophy size={28} color="var(--mantine-color-yellow-filled)" />
        <Stack gap={0}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Reward · {STYLE_LABEL[reward.style]}
          </Text>
          <Text size="xl" fw={800} data-testid="reward-value">
            {formatReward(reward.primary)}
          </Text>
        </Stack>
        {named.length > 0 && (
          <Stack gap={2} ml="lg">
            {named.map((d, i) => (
              <Text size="sm" key={i}>
                <Text span c="dimmed">
                  {d.name}
                  {i === 0 ? ' (primary)' : ''}:{' '}
                </Text>
                <b>{formatReward(d.value)}</b>
              </Text>
            ))}
          </Stack>
        )}
      </Group>
    </Paper>
  );
}
