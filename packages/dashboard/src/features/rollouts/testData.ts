/** Builders of wire-shaped rollouts and attempts for unit tests and stories (plain data, no mocks of behaviour). */
import type { Attempt, RolloutWithAttempt } from '@agl/schemas';
import { DEFAULT_ROLLOUT_CONFIG } from '@agl/schemas';

export function makeAttempt(overrides: Partial<Attempt> & Pick<Attempt, 'rollout_id'>): Attempt {
  return {
    attempt_id: `at-${overrides.rollout_id.slice(3, 11)}`,
    sequence_id: 1,
    start_time: 1_761_745_400,
    end_time: null,
    status: 'preparing',
    worker_id: null,
    last_heartbeat_time: null,
    metadata: null,
    ...overrides,
  };
}

export function makeRollout(
  overrides: Partial<Omit<RolloutWithAttempt, 'attempt'>> & { attempt?: Partial<Attempt> | null } = {},
): RolloutWithAttempt {
  const { attempt, ...fields } = overrides;
  const rollout: RolloutWithAttempt = {
    rollout_id: 'ro-000000000001',
    input: { task: 'demo' },
    start_time: 1_761_745_400,
    end_time: null,
    mode: 'train',
    resources_id: 'rs-000000000001',
    status: 'queuing',
    config: DEFAULT_ROLLOUT_CONFIG,
    metadata: {},
    ...fields,
  };
  if (attempt) rollout.attempt = makeAttempt({ rollout_id: rollout.rollout_id, ...attempt });
  return rollout;
}

/** `ro-` + 12 hex digits from a number, like the server's IDs. */
export const rolloutId = (n: number): string => `ro-${n.toString(16).padStart(12, '0')}`;
