/**
 * The columns an engine keeps beside a stored rollout for its indexes, derived from the rollout and its latest
 * attempt in one place so every engine indexes the same things.
 *
 * The sort keys are stored already normalised by the null rules of `queries.ts` (a null time is +∞, any other null
 * is "" or 0), read through `rolloutSortValue` itself: a plain `ORDER BY column, seq` over them orders exactly as
 * the memory engine does, and an index on the bare column serves it in both directions.
 */
import type { RolloutSortKey } from '@agl/schemas';
import { watchdogDueTime } from '../store/rules.js';
import type { RolloutRecord } from './engine.js';
import { rolloutSortValue, type SortValue } from './queries.js';

export interface RolloutColumns {
  status: string;
  /** When the watchdog next has to look at the rollout (null: never). */
  dueAt: number | null;
  latestSeq: number | null;
  /** The rollout's mode, "" when it has none (`mode_in` lists real modes only, so "" never matches a filter). */
  mode: string;
  resourcesId: string;
  startTime: number;
  /** +∞ while the rollout runs. */
  endTime: number;
  /** The latest attempt's id, "" without one. */
  attemptId: string;
  /** The latest attempt's worker, "". */
  workerId: string;
  /** The latest attempt's heartbeat, +∞. */
  lastHeartbeatTime: number;
  /** The latest attempt's run time (the rollout's without one), 0 while it runs. */
  duration: number;
}

/** The sort keys kept as columns, each with the name of its `RolloutColumns` field. */
export const ROLLOUT_SORT_COLUMNS = {
  mode: 'mode',
  resources_id: 'resourcesId',
  start_time: 'startTime',
  end_time: 'endTime',
  attempt_id: 'attemptId',
  worker_id: 'workerId',
  last_heartbeat_time: 'lastHeartbeatTime',
  duration: 'duration',
} as const satisfies Partial<Record<RolloutSortKey, keyof RolloutColumns>>;

export function rolloutColumns(record: RolloutRecord): RolloutColumns {
  const { rollout, latest } = record;
  const key = (name: RolloutSortKey) => normalised(rolloutSortValue(record, name));
  return {
    status: rollout.status,
    dueAt: watchdogDueTime(rollout, latest),
    latestSeq: latest?.sequence_id ?? null,
    mode: key('mode') as string,
    resourcesId: key('resources_id') as string,
    startTime: key('start_time') as number,
    endTime: key('end_time') as number,
    attemptId: key('attempt_id') as string,
    workerId: key('worker_id') as string,
    lastHeartbeatTime: key('last_heartbeat_time') as number,
    duration: key('duration') as number,
  };
}

/** A sort value with its null replaced as `compareSortValues` reads it. */
function normalised(value: SortValue): string | number {
  switch (value.kind) {
    case 'time':
      return value.value ?? Infinity;
    case 'number':
      return value.value ?? 0;
    case 'string':
      return value.value ?? '';
    case 'none':
      throw new Error('object-valued keys have no column');
  }
}
