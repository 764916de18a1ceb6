/**
 * Row parameters for the PostgreSQL tables. Index columns come from `rolloutColumns` (shared by every engine) and
 * the sort columns from the very functions `storage/queries.ts` sorts with, so a SQL `ORDER BY` over a column sorts
 * what the reference rules sort. `postgres/queries.ts` lists, per sort key, the column and its kind.
 */
import type { Attempt, ResourcesUpdate, Span, Worker } from '@agl/schemas';
import { rolloutColumns } from '../columns.js';
import type { RolloutRecord } from '../engine.js';
import { rolloutSortValue, spanSortValue, workerSortValue, type SortValue } from '../queries.js';

const valueOf = (sort: SortValue) => (sort.kind === 'none' ? null : sort.value);

/** `$1…$16` of the rollout insert/update statements. */
export function rolloutParams(record: RolloutRecord): unknown[] {
  const columns = rolloutColumns(record);
  const sort = (key: Parameters<typeof rolloutSortValue>[1]) => valueOf(rolloutSortValue(record, key));
  return [
    record.rollout.rollout_id,
    columns.status,
    JSON.stringify(record.rollout),
    columns.latestSeq,
    record.latest ? JSON.stringify(record.latest) : null,
    columns.dueAt,
    sort('start_time'),
    sort('end_time'),
    sort('mode'),
    sort('resources_id'),
    sort('attempt_id'),
    sort('worker_id'),
    sort('last_heartbeat_time'),
    sort('duration'),
  ];
}

export function attemptParams(attempt: Attempt): unknown[] {
  return [attempt.rollout_id, attempt.sequence_id, attempt.attempt_id, JSON.stringify(attempt)];
}

export function spanParams(span: Span): unknown[] {
  const sort = (key: Parameters<typeof spanSortValue>[1]) => valueOf(spanSortValue(span, key));
  return [
    span.rollout_id,
    span.attempt_id,
    span.span_id,
    sort('sequence_id'),
    sort('trace_id'),
    sort('parent_id'),
    sort('name'),
    sort('status_code'),
    sort('start_time'),
    sort('end_time'),
    JSON.stringify(span),
  ];
}

export function resourcesParams(update: ResourcesUpdate): unknown[] {
  return [update.resources_id, update.create_time, update.update_time, update.version, JSON.stringify(update)];
}

export function workerParams(worker: Worker): unknown[] {
  const sort = (key: Parameters<typeof workerSortValue>[1]) => valueOf(workerSortValue(worker, key));
  return [
    worker.worker_id,
    sort('status'),
    sort('last_heartbeat_time'),
    sort('last_dequeue_time'),
    sort('last_busy_time'),
    sort('last_idle_time'),
    sort('current_rollout_id'),
    sort('current_attempt_id'),
    JSON.stringify(worker),
  ];
}
