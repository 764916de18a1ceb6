/**
 * The v0.3 queries (§8.2) in SQL, answering exactly as `storage/queries.ts` does: each sort key maps to a column
 * holding the value the reference sorts by, and its kind sets the null rule — a null time is +∞ (`NULLS LAST`
 * ascending, `NULLS FIRST` descending), a null number is 0, a null string is "" — with strings compared by code
 * point (`COLLATE "C"`, as SQLite's BINARY). Ties keep insertion order (`seq` ascending) in both directions; keys
 * without an order (objects) sort by insertion alone.
 *
 * A page is two statements run side by side: the matches counted, and the page itself (`LIMIT`/`OFFSET`).
 */
import type {
  FilterLogic,
  ResourcesQuery,
  ResourcesSortKey,
  ResourcesUpdate,
  RolloutQuery,
  RolloutSortKey,
  SortOrder,
  Span,
  SpanQuery,
  SpanSortKey,
  Worker,
  WorkerQuery,
  WorkerSortKey,
} from '@agl/schemas';
import type { Checked, RolloutRecord } from '../engine.js';
import type { Page } from '../queries.js';
import { storable, type Queryable } from './data.js';

type Kind = 'time' | 'number' | 'string';
/** A sort key's column and kind; keys missing from a map sort by insertion only. */
type SortColumns<K extends string> = Partial<Record<K, [column: string, kind: Kind]>>;

const ROLLOUT_SORT: SortColumns<RolloutSortKey> = {
  rollout_id: ['rollout_id', 'string'],
  start_time: ['start_time', 'time'],
  end_time: ['end_time', 'time'],
  mode: ['mode', 'string'],
  resources_id: ['resources_id', 'string'],
  status: ['status', 'string'],
  attempt_id: ['latest_attempt_id', 'string'],
  duration: ['duration', 'number'],
  last_heartbeat_time: ['latest_heartbeat', 'time'],
  worker_id: ['latest_worker_id', 'string'],
};

const SPAN_SORT: SortColumns<SpanSortKey> = {
  rollout_id: ['rollout_id', 'string'],
  attempt_id: ['attempt_id', 'string'],
  sequence_id: ['sequence_id', 'number'],
  trace_id: ['trace_id', 'string'],
  span_id: ['span_id', 'string'],
  parent_id: ['parent_id', 'string'],
  name: ['name', 'string'],
  status_code: ['status_code', 'string'],
  start_time: ['start_time', 'time'],
  end_time: ['end_time', 'time'],
  duration: ['(end_time - start_time)', 'number'],
};

const RESOURCES_SORT: SortColumns<ResourcesSortKey> = {
  resources_id: ['resources_id', 'string'],
  create_time: ['create_time', 'time'],
  update_time: ['update_time', 'time'],
  version: ['version', 'number'],
};

const WORKER_SORT: SortColumns<WorkerSortKey> = {
  worker_id: ['worker_id', 'string'],
  status: ['status', 'string'],
  last_heartbeat_time: ['last_heartbeat_time', 'time'],
  last_dequeue_time: ['last_dequeue_time', 'time'],
  last_busy_time: ['last_busy_time', 'time'],
  last_idle_time: ['last_idle_time', 'time'],
  current_rollout_id: ['current_rollout_id', 'string'],
  current_attempt_id: ['current_attempt_id', 'string'],
};

/** Collects a statement's conditions and parameters. */
class Where {
  readonly values: unknown[] = [];
  private readonly conditions: string[] = [];

  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** `*_in`: present means "value in the list" (an empty list matches nothing). */
  in(column: string, list: readonly string[] | null): void {
    if (list !== null) this.conditions.push(`${column} = ANY(${this.param(list)}::text[])`);
  }

  /** `*_contains`: case-sensitive substring, a null value counting as "". */
  contains(column: string, needle: string | null): void {
    if (needle !== null) this.conditions.push(`strpos(COALESCE(${column}, ''), ${this.param(needle)}) > 0`);
  }

  equals(column: string, expected: string | null): void {
    if (expected !== null) this.conditions.push(`${column} = ${this.param(expected)}`);
  }

  /** The optional conditions combined by `logic`; an empty group filters nothing. */
  group(logic: FilterLogic): string {
    return this.conditions.length === 0 ? 'TRUE' : `(${this.conditions.join(logic === 'and' ? ' AND ' : ' OR ')})`;
  }
}

function orderBy<K extends string>(columns: SortColumns<K>, sortBy: K | null, order: SortOrder, seq: string): string {
  const sort = sortBy === null ? undefined : columns[sortBy];
  if (!sort) return `ORDER BY ${seq}`;
  const [column, kind] = sort;
  const direction = order === 'desc' ? 'DESC' : 'ASC';
  const key =
    kind === 'time'
      ? `${column} ${direction} NULLS ${order === 'desc' ? 'FIRST' : 'LAST'}`
      : kind === 'number'
        ? `COALESCE(${column}, 0) ${direction}`
        : `COALESCE(${column}, '') COLLATE "C" ${direction}`;
  return `ORDER BY ${key}, ${seq}`;
}

interface PageQuery<K extends string> {
  sort_by: K | null;
  sort_order: SortOrder;
  limit: number;
  offset: number;
}

async function page<K extends string, R extends Record<string, unknown>>(
  db: Queryable,
  select: { columns: string; from: string; where: string; values: unknown[]; seq: string; counter?: string },
  sort: SortColumns<K>,
  query: PageQuery<K>,
): Promise<{ rows: R[]; total: number }> {
  const limit = query.limit === -1 ? '' : ` LIMIT ${Math.trunc(query.limit)}`;
  const offset = query.offset > 0 ? ` OFFSET ${Math.trunc(query.offset)}` : '';
  const values = storable(select.values);
  // Without a filter the total is the collection's size, kept by every write (counting 1M rows takes ~100 ms).
  const count =
    select.counter && select.where === 'TRUE'
      ? db.query<{ total: number }>('SELECT COALESCE(sum(value), 0) AS total FROM agl_counters WHERE kind = $1', [
          select.counter,
        ])
      : db.query<{ total: number }>(`SELECT count(*) AS total FROM ${select.from} WHERE ${select.where}`, values);
  const [counted, rows] = await Promise.all([
    count,
    db.query<R>(
      `SELECT ${select.columns} FROM ${select.from} WHERE ${select.where} ` +
        `${orderBy(sort, query.sort_by, query.sort_order, select.seq)}${limit}${offset}`,
      values,
    ),
  ]);
  return { rows: rows.rows, total: Number(counted.rows[0]!.total) };
}

export async function queryRollouts(
  db: Queryable,
  query: Checked<RolloutQuery, RolloutSortKey>,
  toRecord: (row: { doc: string; latest_doc: string | null }) => RolloutRecord,
): Promise<Page<RolloutRecord>> {
  const where = new Where();
  where.in('status', query.status_in);
  where.in('rollout_id', query.rollout_id_in);
  where.contains('rollout_id', query.rollout_id_contains);
  where.in('mode', query.mode_in);
  const select = {
    columns: 'doc, latest_doc',
    from: 'rollouts',
    where: where.group(query.filter_logic),
    values: where.values,
    seq: 'seq',
    counter: 'count:rollouts',
  };
  const { rows, total } = await page<RolloutSortKey, { doc: string; latest_doc: string | null }>(
    db,
    select,
    ROLLOUT_SORT,
    query,
  );
  return { items: rows.map(toRecord), total };
}

/** The rollout and attempt always apply; the optional conditions combine by `filter_logic` among themselves. */
export async function querySpans(db: Queryable, query: Checked<SpanQuery, SpanSortKey>): Promise<Page<Span>> {
  const where = new Where();
  where.equals('trace_id', query.trace_id);
  where.contains('trace_id', query.trace_id_contains);
  where.equals('span_id', query.span_id);
  where.contains('span_id', query.span_id_contains);
  where.equals('parent_id', query.parent_id);
  where.contains('parent_id', query.parent_id_contains);
  where.equals('name', query.name);
  where.contains('name', query.name_contains);
  const group = where.group(query.filter_logic);
  let scope = `rollout_id = ${where.param(query.rollout_id)}`;
  if (query.attempt_id !== null) scope += ` AND attempt_id = ${where.param(query.attempt_id)}`;
  const select = { columns: 'doc', from: 'spans', where: `${scope} AND ${group}`, values: where.values, seq: 'seq' };
  const { rows, total } = await page<SpanSortKey, { doc: string }>(db, select, SPAN_SORT, query);
  return { items: rows.map((row) => JSON.parse(row.doc) as Span), total };
}

/** Both resources filters always AND; without a sort key, snapshots come in creation order. */
export async function queryResources(
  db: Queryable,
  query: Checked<ResourcesQuery, ResourcesSortKey>,
): Promise<Page<ResourcesUpdate>> {
  const where = new Where();
  where.equals('resources_id', query.resources_id);
  where.contains('resources_id', query.resources_id_contains);
  const select = {
    columns: 'doc',
    from: 'resources',
    where: where.group('and'),
    values: where.values,
    seq: 'created_seq',
  };
  const { rows, total } = await page<ResourcesSortKey, { doc: string }>(db, select, RESOURCES_SORT, query);
  return { items: rows.map((row) => JSON.parse(row.doc) as ResourcesUpdate), total };
}

export async function queryWorkers(db: Queryable, query: Checked<WorkerQuery, WorkerSortKey>): Promise<Page<Worker>> {
  const where = new Where();
  where.in('status', query.status_in);
  where.contains('worker_id', query.worker_id_contains);
  const select = {
    columns: 'doc',
    from: 'workers',
    where: where.group(query.filter_logic),
    values: where.values,
    seq: 'seq',
  };
  const { rows, total } = await page<WorkerSortKey, { doc: string }>(db, select, WORKER_SORT, query);
  return { items: rows.map((row) => JSON.parse(row.doc) as Worker), total };
}
