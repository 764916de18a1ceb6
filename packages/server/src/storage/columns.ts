/**
 * The columns an engine keeps beside a stored rollout for its indexes, derived from the rollout and its latest
 * attempt in one place so every engine indexes the same things.
 */
import { watchdogDueTime } from '../store/rules.js';
import type { RolloutRecord } from './engine.js';

export interface RolloutColumns {
  status: string;
  /** When the watchdog next has to look at the rollout (null: never). */
  dueAt: number | null;
  latestSeq: number | null;
}

export function rolloutColumns({ rollout, latest }: RolloutRecord): RolloutColumns {
  return {
    status: rollout.status,
    dueAt: watchdogDueTime(rollout, latest),
    latestSeq: latest?.sequence_id ?? null,
  };
}
