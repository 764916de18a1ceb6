/**
 * The query rules of the v0.3 generation (docs/protocol.md §8.2), as plain functions over objects: how each sort key
 * reads a value, where nulls go, how filters combine, how a page is cut. The memory engine answers queries with these;
 * the SQL engines must answer the same (the conformance suites and the query tests compare them).
 *
 * Sorting is stable: ties keep insertion order in both directions (as Python's `sorted(reverse=True)` does). A null
 * `*_time` sorts as +∞ (last ascending, first descending); any other null sorts as `""` or 0 (first ascending, last
 * descending). Object-valued fields have no order of their own: every item ties, so insertion order decides.
 */
import type {
  Attempt,
  AttemptSortKey,
  FilterLogic,
  ResourcesSortKey,
  ResourcesUpdate,
  RolloutSortKey,
  SortOrder,
  Span,
  SpanSortKey,
  Worker,
  WorkerSortKey,
} from '@agl/schemas';
import type { RolloutRecord } from './engine.js';

export interface Page<T> {
  items: T[];
  /** Matches before `limit`/`offset`. */
  total: number;
}

export interface PageRequest<K extends string> {
  sortBy: K | null;
  sortOrder: SortOrder;
  /** -1: no limit. */
  limit: number;
  offset: number;
}

/** The paging part of a checked wire query. */
export function pageRequest<K extends string>(query: {
  sort_by: K | null;
  sort_order: SortOrder;
  limit: number;
  offset: number;
}): PageRequest<K> {
  return { sortBy: query.sort_by, sortOrder: query.sort_order, limit: query.limit, offset: query.offset };
}

/** A sortable value: times (null = +∞), numbers (null = 0), strings (null = ""), or nothing (objects: all tie). */
export type SortValue =
  | { kind: 'time'; value: number | null }
  | { kind: 'number'; value: number | null }
  | { kind: 'string'; value: string | null }
  | { kind: 'none' };

const time = (value: number | null): SortValue => ({ kind: 'time', value });
const num = (value: number | null): SortValue => ({ kind: 'number', value });
const str = (value: string | null): SortValue => ({ kind: 'string', value });
const none: SortValue = { kind: 'none' };
const duration = (start: number | null, end: number | null) => (start !== null && end !== null ? end - start : null);

export function rolloutSortValue({ rollout, latest }: RolloutRecord, key: RolloutSortKey): SortValue {
  switch (key) {
    case 'rollout_id':
    case 'mode':
    case 'resources_id':
    case 'status':
      return str(rollout[key]);
    case 'start_time':
    case 'end_time':
      return time(rollout[key]);
    case 'input':
    case 'config':
    case 'metadata':
      return none;
    case 'attempt_id':
    case 'worker_id':
      return str(latest?.[key] ?? null);
    case 'last_heartbeat_time':
      return time(latest?.last_heartbeat_time ?? null);
    case 'duration':
      // What the dashboard shows: the latest attempt's run time, or the rollout's when it has none.
      return latest
        ? num(duration(latest.start_time, latest.end_time))
        : num(duration(rollout.start_time, rollout.end_time));
  }
}

export function attemptSortValue(attempt: Attempt, key: AttemptSortKey): SortValue {
  switch (key) {
    case 'sequence_id':
      return num(attempt.sequence_id);
    case 'start_time':
    case 'end_time':
    case 'last_heartbeat_time':
      return time(attempt[key]);
    case 'metadata':
      return none;
    default:
      return str(attempt[key]);
  }
}

export function spanSortValue(span: Span, key: SpanSortKey): SortValue {
  switch (key) {
    case 'sequence_id':
      return num(span.sequence_id);
    case 'start_time':
    case 'end_time':
      return time(span[key]);
    case 'duration':
      return num(duration(span.start_time, span.end_time));
    case 'status_code':
      return str(span.status.status_code);
    case 'rollout_id':
    case 'attempt_id':
    case 'trace_id':
    case 'span_id':
    case 'parent_id':
    case 'name':
      return str(span[key]);
    default:
      return none;
  }
}

export function resourcesSortValue(update: ResourcesUpdate, key: ResourcesSortKey): SortValue {
  switch (key) {
    case 'resources_id':
      return str(update.resources_id);
    case 'create_time':
    case 'update_time':
      return time(update[key]);
    case 'version':
      return num(update.version);
    case 'resources':
      return none;
  }
}

export function workerSortValue(worker: Worker, key: WorkerSortKey): SortValue {
  switch (key) {
    case 'last_heartbeat_time':
    case 'last_dequeue_time':
    case 'last_busy_time':
    case 'last_idle_time':
      return time(worker[key]);
    case 'heartbeat_stats':
      return none;
    default:
      return str(worker[key]);
  }
}

/** Ascending comparison under the null rules; 0 for ties (stability then keeps insertion order). */
export function compareSortValues(a: SortValue, b: SortValue): number {
  if (a.kind === 'none' || b.kind === 'none') return 0;
  if (a.kind === 'time' && b.kind === 'time') {
    const x = a.value ?? Infinity;
    const y = b.value ?? Infinity;
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (a.kind === 'number' && b.kind === 'number') return (a.value ?? 0) - (b.value ?? 0);
  const x = String(a.kind === 'string' ? (a.value ?? '') : '');
  const y = String(b.kind === 'string' ? (b.value ?? '') : '');
  return x === y ? 0 : x < y ? -1 : 1; // code-unit order, as SQL's BINARY collation compares
}

/** One filter condition: `undefined` when the query did not send it (it then filters nothing). */
export type Condition<T> = ((item: T) => boolean) | undefined;

/**
 * Items matching the optional conditions combined by `logic` (an empty group filters nothing), sorted and cut.
 * `items` must be in insertion order.
 */
export function selectPage<T, K extends string>(
  items: T[],
  conditions: Array<Condition<T>>,
  logic: FilterLogic,
  request: PageRequest<K>,
  sortValue: (item: T, key: K) => SortValue,
): Page<T> {
  const active = conditions.filter((c): c is (item: T) => boolean => c !== undefined);
  const matches =
    active.length === 0
      ? items
      : items.filter((item) => (logic === 'and' ? active.every((c) => c(item)) : active.some((c) => c(item))));
  let sorted = matches;
  if (request.sortBy !== null) {
    const key = request.sortBy;
    const sign = request.sortOrder === 'desc' ? -1 : 1;
    sorted = matches
      .map((item, index) => ({ item, index, value: sortValue(item, key) }))
      .sort((a, b) => sign * compareSortValues(a.value, b.value) || a.index - b.index)
      .map((entry) => entry.item);
  }
  const end = request.limit === -1 ? undefined : request.offset + request.limit;
  return { items: sorted.slice(request.offset, end), total: matches.length };
}

/** `*_in`: present means "value in the list" (an empty list matches nothing). */
export function inList<T, V>(list: readonly V[] | null, value: (item: T) => V | null): Condition<T> {
  if (list === null) return undefined;
  const wanted = new Set<V | null>(list);
  return (item) => wanted.has(value(item));
}

/** `*_contains`: a case-sensitive substring. */
export function contains<T>(needle: string | null, value: (item: T) => string | null): Condition<T> {
  if (needle === null) return undefined;
  return (item) => (value(item) ?? '').includes(needle);
}

/** An exact match. */
export function equals<T>(expected: string | null, value: (item: T) => string | null): Condition<T> {
  if (expected === null) return undefined;
  return (item) => value(item) === expected;
}
