import { Group, List, Stack, Text, Tooltip } from '@mantine/core';
import type { HealthProblem } from '@agl/schemas';
import { formatRelative, formatTimestamp } from '../../lib/format';
import { useNowSeconds } from '../../lib/useNowSeconds';
import { CONNECTION_LOOK, type ConnectionState } from './connectionState';
import classes from './ConnectionIndicator.module.css';

export interface ConnectionIndicatorProps {
  baseUrl: string;
  state: ConnectionState;
  /** A data request is in flight; shown as a blinking "Refreshing" while the store is reachable and healthy. */
  refreshing: boolean;
  /** The last health error, shown on hover when unreachable. */
  errorMessage?: string;
  /** What a degraded store reports failing, shown on hover. */
  problems?: readonly HealthProblem[];
}

/** Mounted only while the tooltip is open, so the ages tick only while someone reads them. */
function ProblemList({ problems }: { problems: readonly HealthProblem[] }) {
  const now = useNowSeconds();
  if (problems.length === 0) return <>The store reports a problem with a background job.</>;
  return (
    <Stack gap={4}>
      <Text size="xs" fw={600}>
        The store answers, but a background job keeps failing:
      </Text>
      <List size="xs" spacing={4}>
        {problems.map((problem) => (
          <List.Item key={problem.source}>
            <Text span size="xs" fw={600}>
              {problem.source}
            </Text>
            : {problem.message}
            <Text size="xs" c="dimmed" title={formatTimestamp(problem.since)}>
              since {formatRelative(problem.since, now)} ·{' '}
              {problem.failures === 1 ? '1 failure' : `${problem.failures} failures in a row`}
            </Text>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

/** Footer status: a coloured dot, the state (or a blinking "Refreshing"), and the store address. */
export function ConnectionIndicator({
  baseUrl,
  state,
  refreshing,
  errorMessage,
  problems = [],
}: ConnectionIndicatorProps) {
  // A store that is unreachable or degraded matters more than a pending request.
  const showRefreshing = refreshing && (state === 'connected' || state === 'connecting');
  const { color, label } = CONNECTION_LOOK[state];
  const details =
    state === 'degraded' ? <ProblemList problems={problems} /> : state === 'unreachable' ? errorMessage : undefined;
  return (
    <Tooltip
      label={details}
      disabled={!details}
      multiline
      maw={300}
      position="top-start"
      events={{ hover: true, focus: true, touch: true }}
    >
      <Stack
        gap={2}
        data-testid="connection-indicator"
        data-state={state}
        data-refreshing={showRefreshing ? 'true' : 'false'}
        role="status"
        aria-live="polite"
        // Focusable when there is more to read, so the details open from the keyboard too.
        tabIndex={details ? 0 : undefined}
      >
        <Group gap={8} wrap="nowrap">
          <span className={classes.dot} style={{ background: `var(--mantine-color-${color}-6)` }} aria-hidden />
          {showRefreshing ? (
            <Text size="sm" fw={600} c="violet" className={classes.blink}>
              Refreshing
            </Text>
          ) : (
            <Text size="sm" fw={600} c={state === 'unreachable' || state === 'degraded' ? color : undefined}>
              {label}
            </Text>
          )}
        </Group>
        <Text size="xs" c="dimmed" truncate="end" title={baseUrl} data-testid="connection-base-url">
          {baseUrl}
        </Text>
      </Stack>
    </Tooltip>
  );
}
