import { describe, expect, it } from 'vitest';
import { ATTEMPT_STATUSES, ROLLOUT_STATUSES } from '@agl/schemas';
import { ATTEMPT_STATUS_COLOR, COMPOSITE_STATUS_COLOR, ROLLOUT_STATUS_COLOR, statusColor, statusLabel } from './status';

describe('status colours and labels', () => {
  it('has a colour for every wire status', () => {
    for (const status of ROLLOUT_STATUSES) expect(ROLLOUT_STATUS_COLOR[status]).toBeTruthy();
    for (const status of ATTEMPT_STATUSES) expect(ATTEMPT_STATUS_COLOR[status]).toBeTruthy();
  });

  it('shows the rollout status alone when the attempt agrees or is absent', () => {
    expect(statusLabel('running', 'running')).toBe('running');
    expect(statusLabel('queuing')).toBe('queuing');
    expect(statusColor('failed', 'failed')).toBe(ROLLOUT_STATUS_COLOR.failed);
  });

  it('shows `rollout - attempt` in the composite colour when they differ', () => {
    expect(statusLabel('running', 'unresponsive')).toBe('running - unresponsive');
    expect(statusColor('requeuing', 'failed')).toBe(COMPOSITE_STATUS_COLOR);
  });
});
