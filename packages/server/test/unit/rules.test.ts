/** The rules of docs/protocol.md §5 as pure functions: propagation, times, heartbeats and the watchdog's verdicts. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLLOUT_CONFIG, type Attempt, type RolloutConfig } from '@agl/schemas';
import {
  rolloutStatusForAttempt,
  watchdogDueAt,
  watchdogSteps,
  withAttemptStatus,
  withHeartbeat,
} from '../../src/store/rules.js';

const attempt = (patch: Partial<Attempt> = {}): Attempt => ({
  rollout_id: 'ro-1',
  attempt_id: 'at-1',
  sequence_id: 1,
  start_time: 100,
  end_time: null,
  status: 'running',
  worker_id: null,
  last_heartbeat_time: null,
  metadata: null,
  ...patch,
});
const config = (patch: Partial<RolloutConfig> = {}): RolloutConfig => ({ ...DEFAULT_ROLLOUT_CONFIG, ...patch });

describe('rolloutStatusForAttempt (§5.2)', () => {
  it('mirrors preparing, running and succeeded', () => {
    for (const status of ['preparing', 'running', 'succeeded'] as const) {
      expect(rolloutStatusForAttempt(attempt({ status }), config())).toBe(status);
    }
  });

  it('retries a listed failure while the attempt budget allows, by the attempt’s own sequence id', () => {
    const retry = config({ max_attempts: 3, retry_condition: ['failed', 'timeout', 'unresponsive'] });
    for (const status of ['failed', 'timeout', 'unresponsive'] as const) {
      expect(rolloutStatusForAttempt(attempt({ status, sequence_id: 2 }), retry)).toBe('requeuing');
      expect(rolloutStatusForAttempt(attempt({ status, sequence_id: 3 }), retry)).toBe('failed');
    }
    expect(
      rolloutStatusForAttempt(attempt({ status: 'timeout' }), config({ max_attempts: 3, retry_condition: ['failed'] })),
    ).toBe('failed');
  });
});

describe('attempt bookkeeping (§5.3, §5.4)', () => {
  it('ends failed and succeeded attempts only', () => {
    expect(withAttemptStatus(attempt(), 'failed', 200).end_time).toBe(200);
    expect(withAttemptStatus(attempt(), 'timeout', 200).end_time).toBeNull();
    expect(withAttemptStatus(attempt({ end_time: 150 }), 'running', 200).end_time).toBe(150);
  });

  it('a heartbeat revives preparing and unresponsive attempts, not timed-out ones', () => {
    expect(withHeartbeat(attempt({ status: 'unresponsive' }), 5)).toMatchObject({
      status: 'running',
      last_heartbeat_time: 5,
    });
    expect(withHeartbeat(attempt({ status: 'timeout' }), 5)).toMatchObject({
      status: 'timeout',
      last_heartbeat_time: 5,
    });
  });
});

describe('watchdog (§5.5)', () => {
  it('times out from the attempt start, before looking at heartbeats', () => {
    const c = config({ timeout_seconds: 10, unresponsive_seconds: 1 });
    expect(watchdogSteps(attempt({ last_heartbeat_time: 109.5 }), c, 110.5)).toEqual([
      { kind: 'setStatus', status: 'timeout' },
    ]);
    expect(watchdogDueAt(attempt({ last_heartbeat_time: 109.5 }), c)).toBe(110);
  });

  it('promotes a preparing attempt with a heartbeat, then checks unresponsiveness from the heartbeat', () => {
    const c = config({ unresponsive_seconds: 5 });
    expect(watchdogSteps(attempt({ status: 'preparing', last_heartbeat_time: 101 }), c, 103)).toEqual([
      { kind: 'setStatus', status: 'running' },
    ]);
    expect(watchdogSteps(attempt({ status: 'preparing', last_heartbeat_time: 101 }), c, 107)).toEqual([
      { kind: 'setStatus', status: 'running' },
      { kind: 'setStatus', status: 'unresponsive' },
    ]);
    expect(watchdogDueAt(attempt({ last_heartbeat_time: 101 }), c)).toBe(106);
  });

  it('counts unresponsiveness from the start when no heartbeat arrived; strict inequality', () => {
    const c = config({ unresponsive_seconds: 5 });
    expect(watchdogSteps(attempt(), c, 105)).toEqual([]);
    expect(watchdogSteps(attempt(), c, 105.001)).toEqual([{ kind: 'setStatus', status: 'unresponsive' }]);
  });

  it('re-propagates a finished latest attempt at once and ignores rollouts without limits', () => {
    expect(watchdogSteps(attempt({ status: 'succeeded' }), config(), 0)).toEqual([{ kind: 'repropagate' }]);
    expect(watchdogDueAt(attempt({ status: 'succeeded' }), config())).toBe(-Infinity);
    expect(watchdogDueAt(attempt(), config())).toBe(Infinity);
  });
});
