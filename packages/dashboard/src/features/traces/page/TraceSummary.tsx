/** The attempt header: final reward first (what a trainer looks at), then LLM calls, tokens, spans and errors. */
import { Group, Paper, Text } from '@mantine/core';
import { IconTrophy } from '@tabler/icons-react';
import { formatCount } from '../../../lib/format';
import { formatReward } from '../lib/rewards';
import type { AttemptSummary } from '../lib/summary';

function Stat({ label, value, color, testId }: { label: string; value: string; color?: string; testId: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={700} c={color} data-testid={testId} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </div>
  );
}

export function TraceSummary({ summary }: { summary: AttemptSummary }) {
  const hasReward = summary.finalReward !== null;
  return (
    <Paper withBorder p="sm" radius="sm">
      <Group gap="xl">
        <Group gap={8} wrap="nowrap">
          <IconTrophy
            size={22}
            color={hasReward ? 'var(--mantine-color-yellow-filled)' : 'var(--mantine-color-dimmed)'}
          />
          <Stat label="Final reward" value={formatReward(summary.finalReward)} testId="final-reward" />
        </Group>
        <Stat label="LLM calls" value={formatCount(summary.llmCalls)} testId="llm-calls" />
        <Stat label="Total tokens" value={formatCount(summary.totalTokens)} testId="total-tokens" />
        <Stat label="Spans" value={formatCount(summary.spanCount)} testId="span-count" />
        <Stat
          label="Errors"
          value={formatCount(summary.errorCount)}
          color={summary.errorCount > 0 ? 'red' : undefined}
          testId="error-count"
        />
      </Group>
    </Paper>
  );
}
