/**
 * Implicit worker tracking (docs/protocol.md §8.4): runners are never registered; what they do — dequeue, start,
 * report an attempt's status, send a heartbeat — updates their record. Each trigger writes only the fields it names.
 * These are pure functions from the previous record (or none) to the next.
 */
import type { Attempt, AttemptStatus, Worker } from '@agl/schemas';

export function newWorker(workerId: string): Worker {
  return {
    worker_id: workerId,
    status: 'unknown',
    heartbeat_stats: null,
    last_heartbeat_time: null,
    last_dequeue_time: null,
    last_busy_time: null,
    last_idle_time: null,
    current_rollout_id: null,
    current_attempt_id: null,
  };
}

/** A dequeue by this worker: busy with the (last) claim, or idle when the queue was empty. */
export function afterDequeue(worker: Worker | null, workerId: string, claim: Attempt | null, now: number): Worker {
  const base = worker ?? newWorker(workerId);
  if (claim) return busyWith(base, claim, now, { last_dequeue_time: now });
  if (worker && worker.status === 'idle') return { ...worker, last_dequeue_time: now };
  return { ...base, status: 'idle', last_idle_time: now, last_dequeue_time: now };
}

/** `POST /rollouts` or a started attempt with this worker. */
export function afterStart(worker: Worker | null, workerId: string, attempt: Attempt, now: number): Worker {
  return busyWith(worker ?? newWorker(workerId), attempt, now, {});
}

/** An attempt update naming a worker, or setting the status of an attempt that has one (the watchdog included). */
export function afterAttemptUpdate(worker: Worker | null, attempt: Attempt, now: number): Worker {
  const base = worker ?? newWorker(attempt.worker_id!);
  const next = finishedStatus(attempt.status);
  if (next === null) return busyWith(base, attempt, now, {});
  return { ...base, status: next, last_idle_time: now, current_rollout_id: null, current_attempt_id: null };
}

/** `POST /workers/{id}`: the heartbeat time, and the stats when sent; a new worker starts as `unknown`. */
export function afterHeartbeat(
  worker: Worker | null,
  workerId: string,
  stats: Record<string, unknown> | undefined,
  now: number,
): Worker {
  const base = worker ?? newWorker(workerId);
  return { ...base, last_heartbeat_time: now, heartbeat_stats: stats === undefined ? base.heartbeat_stats : stats };
}

/** `succeeded`/`failed` free the worker (`idle`); `timeout`/`unresponsive` leave it `unknown`; others keep it busy. */
function finishedStatus(status: AttemptStatus): Worker['status'] | null {
  if (status === 'succeeded' || status === 'failed') return 'idle';
  if (status === 'timeout' || status === 'unresponsive') return 'unknown';
  return null;
}

function busyWith(worker: Worker, attempt: Attempt, now: number, extra: Partial<Worker>): Worker {
  return {
    ...worker,
    ...extra,
    status: 'busy',
    last_busy_time: now,
    current_rollout_id: attempt.rollout_id,
    current_attempt_id: attempt.attempt_id,
  };
}
