import { Badge, type BadgeProps } from '@mantine/core';
import type { AttemptStatus, RolloutStatus } from '@agl/schemas';
import { ATTEMPT_STATUS_COLOR, statusColor, statusLabel } from '../lib/status';

export type StatusBadgeProps = Omit<BadgeProps, 'color' | 'children'> &
  (
    | { rolloutStatus: RolloutStatus; attemptStatus?: AttemptStatus | null }
    | { attemptStatus: AttemptStatus; rolloutStatus?: undefined }
  );

/**
 * A rollout status, an attempt status (nested attempt rows), or the composite `rollout - attempt` when the two
 * disagree. Colours come from lib/status.ts only.
 */
export function StatusBadge({ rolloutStatus, attemptStatus, ...badgeProps }: StatusBadgeProps) {
  const label = rolloutStatus ? statusLabel(rolloutStatus, attemptStatus) : attemptStatus!;
  const color = rolloutStatus ? statusColor(rolloutStatus, attemptStatus) : ATTEMPT_STATUS_COLOR[attemptStatus!];
  return (
    <Badge variant="light" color={color} radius="sm" tt="none" data-status={label} {...badgeProps}>
      {label}
    </Badge>
  );
}
