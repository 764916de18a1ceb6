/**
 * The lifecycle rules of docs/protocol.md §5 as pure functions: no storage, no clock. The store applies them; tests
 * check them directly. Times are float epoch seconds.
 */
import {
  isTerminalRolloutStatus,
  type Attempt,
  type AttemptStatus,
  type Rollout,
  type RolloutConfig,
  type RolloutStatus,
} from '@agl/schemas';

/** §5.2: the rollout status implied by its latest attempt's status. */
export function rolloutStatusForAttempt(attempt: Attempt, config: RolloutConfig): RolloutStatus {
  switch (attempt.status) {
    case 'preparing':
    case 'running':
    case 'succeeded':
      return attempt.status;
    case 'failed':
    case 'timeout':
    case 'unresponsive':
      // The budget counts the attempt's own sequence id, so manual attempts use it up too.
      return config.retry_condition.includes(attempt.status) && attempt.sequence_id < config.max_attempts
        ? 'requeuing'
        : 'failed';
  }
}

/** §5.3: a status change of a rollout, with its `end_time` bookkeeping (non-null exactly when terminal). */
export function withRolloutStatus(rollout: Rollout, status: RolloutStatus, now: number): Rollout {
  return { ...rollout, status, end_time: isTerminalRolloutStatus(status) ? now : null };
}

/** §5.3: attempts get an `end_time` when they fail or succeed, never for timeout/unresponsive (they may recover). */
export function withAttemptStatus(attempt: Attempt, status: AttemptStatus, now: number): Attempt {
  const ends = status === 'failed' || status === 'succeeded';
  return { ...attempt, status, end_time: ends ? now : attempt.end_time };
}

/** §5.4: a newly stored span stamps the heartbeat and revives a preparing or unresponsive attempt. */
export function withHeartbeat(attempt: Attempt, now: number): Attempt {
  const revived = attempt.status === 'preparing' || attempt.status === 'unresponsive';
  return { ...attempt, last_heartbeat_time: now, status: revived ? 'running' : attempt.status };
}

/** Rollout statuses that a span on the latest attempt promotes to `running` (§4.18, §7.1 #2). */
export function isPromotedBySpan(status: RolloutStatus): boolean {
  return status === 'preparing' || status === 'queuing' || status === 'requeuing';
}

/** What one watchdog scan does to an active rollout's latest attempt (§5.5), in order. */
export type WatchdogStep = { kind: 'repropagate' } | { kind: 'setStatus'; status: AttemptStatus };

export function watchdogSteps(attempt: Attempt, config: RolloutConfig, now: number): WatchdogStep[] {
  if (attempt.status === 'failed' || attempt.status === 'succeeded') return [{ kind: 'repropagate' }];
  if (config.timeout_seconds !== null && now - attempt.start_time > config.timeout_seconds) {
    return [{ kind: 'setStatus', status: 'timeout' }];
  }
  const unresponsive = config.unresponsive_seconds;
  if (attempt.last_heartbeat_time !== null) {
    const steps: WatchdogStep[] = [];
    if (attempt.status === 'preparing') steps.push({ kind: 'setStatus', status: 'running' });
    if (unresponsive !== null && now - attempt.last_heartbeat_time > unresponsive) {
      steps.push({ kind: 'setStatus', status: 'unresponsive' });
    }
    return steps;
  }
  if (unresponsive !== null && now - attempt.start_time > unresponsive) {
    return [{ kind: 'setStatus', status: 'unresponsive' }];
  }
  return [];
}

/**
 * The earliest time at which `watchdogSteps` can return something for this attempt (it fires once `now` is
 * strictly past it), or Infinity. Lets a scan skip every rollout that cannot need attention yet.
 */
export function watchdogDueAt(attempt: Attempt, config: RolloutConfig): number {
  if (attempt.status === 'failed' || attempt.status === 'succeeded') return -Infinity;
  if (attempt.last_heartbeat_time !== null && attempt.status === 'preparing') return -Infinity;
  let due = Infinity;
  if (config.timeout_seconds !== null) due = attempt.start_time + config.timeout_seconds;
  if (config.unresponsive_seconds !== null) {
    const base = attempt.last_heartbeat_time ?? attempt.start_time;
    due = Math.min(due, base + config.unresponsive_seconds);
  }
  return due;
}

/**
 * When the watchdog next has to look at a rollout, as storage keeps it: null for never (not active, no attempt, or
 * no limit set), 0 for at once.
 */
export function watchdogDueTime(rollout: Rollout, latest: Attempt | null): number | null {
  const active = rollout.status === 'preparing' || rollout.status === 'running';
  if (!active || latest === null) return null;
  const due = watchdogDueAt(latest, rollout.config);
  return due === Infinity ? null : Math.max(due, 0);
}
