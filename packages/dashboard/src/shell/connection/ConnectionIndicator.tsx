import { Group, Stack, Text, Tooltip } from '@mantine/core';
import classes from './ConnectionIndicator.module.css';

export type ConnectionState = 'connecting' | 'connected' | 'unreachable';

const LOOK: Record<ConnectionState, { color: string; label: string }> = {
  connecting: { color: 'var(--mantine-color-gray-5)', label: 'Connecting…' },
  connected: { color: 'var(--mantine-color-teal-6)', label: 'Connected' },
  unreachable: { color: 'var(--mantine-color-red-6)', label: 'Unreachable' },
};

export interface ConnectionIndicatorProps {
  baseUrl: string;
  state: ConnectionState;
  /** A data request is in flight; shown as a blinking "Refreshing" while the store is reachable. */
  refreshing: boolean;
  /** The last health error, shown on hover when unreachable. */
  errorMessage?: string;
}

/** Footer status: a coloured dot, the state (or a blinking "Refreshing"), and the store address. */
export function ConnectionIndicator({ baseUrl, state, refreshing, errorMessage }: ConnectionIndicatorProps) {
  // An unreachable store matters more than a pending request, which will fail anyway.
  const showRefreshing = refreshing && state !== 'unreachable';
  const { color, label } = LOOK[state];
  return (
    <Tooltip label={errorMessage} disabled={!errorMessage || state !== 'unreachable'} multiline maw={260}>
      <Stack
        gap={2}
        data-testid="connection-indicator"
        data-state={state}
        data-refreshing={showRefreshing ? 'true' : 'false'}
        role="status"
        aria-live="polite"
      >
        <Group gap={8} wrap="nowrap">
          <span className={classes.dot} style={{ background: color }} aria-hidden />
          {showRefreshing ? (
            <Text size="sm" fw={600} c="violet" className={classes.blink}>
              Refreshing
            </Text>
          ) : (
            <Text size="sm" fw={600} c={state === 'unreachable' ? 'red' : undefined}>
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
