/**
 * The one status → colour map of the dashboard. `Record` over the wire enums, so adding a status to
 * @agl/schemas fails compilation here until it has a colour.
 */
import type { MantineColor } from '@mantine/core';
import type { AttemptStatus, RolloutStatus } from '@agl/schemas';

export const ROLLOUT_STATUS_COLOR: Record<RolloutStatus, MantineColor> = {
  queuing: 'gray',
  requeuing: 'yellow',
  preparing: 'cyan',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  cancelled: 'dark',
};

export const ATTEMPT_STATUS_COLOR: Record<AttemptStatus, MantineColor> = {
  preparing: 'cyan',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  unresponsive: 'orange',
  timeout: 'pink',
};

/** OpenTelemetry span status codes; generation-A writers may send any string, which gets the UNSET colour. */
const SPAN_STATUS_COLOR: Record<'OK' | 'ERROR' | 'UNSET', MantineColor> = {
  OK: 'teal',
  ERROR: 'red',
  UNSET: 'gray',
};

export function spanStatusColor(code: string | null | undefined): MantineColor {
  const upper = (code ?? 'UNSET').toUpperCase();
  return upper === 'OK' || upper === 'ERROR' ? SPAN_STATUS_COLOR[upper] : SPAN_STATUS_COLOR.UNSET;
}

/** `rollout - attempt` when they disagree (docs/dashboard.md, Rollouts status column): a mismatch worth noticing. */
export const COMPOSITE_STATUS_COLOR: MantineColor = 'grape';

/** The label docs/dashboard.md asks for: the rollout status, or `${rollout} - ${attempt}` when they differ. */
export function statusLabel(rolloutStatus: RolloutStatus, attemptStatus?: AttemptStatus | null): string {
  return attemptStatus && attemptStatus !== rolloutStatus ? `${rolloutStatus} - ${attemptStatus}` : rolloutStatus;
}

export function statusColor(rolloutStatus: RolloutStatus, attemptStatus?: AttemptStatus | null): MantineColor {
  return attemptStatus && attemptStatus !== rolloutStatus
    ? COMPOSITE_STATUS_COLOR
    : ROLLOUT_STATUS_COLOR[rolloutStatus];
}
