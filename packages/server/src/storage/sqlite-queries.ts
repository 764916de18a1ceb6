/**
 * The v0.3 queries of the SQLite engine for the small collections — a rollout's attempts and spans, resources,
 * workers — as SQL that answers exactly as `queries.ts` does. Rollouts, the large collection, are in
 * `sqlite-rollout-queries.ts`.
 *
 * These collections are read through an index on what bounds them (the rollout, for attempts and spans) or are small
 * (resources, workers), so sort keys are read from the stored JSON and the matches sorted: `ORDER BY <key>, <insertion
 * order>` with the null rules as SQL (`coalesce(x, 9e999)` is +∞). String comparison is BINARY, as queries.ts
 * compares.
 */
import type Database from 'better-sqlite3';
import type {
  Attempt,
  AttemptSortKey,
  FilterLogic,
  ResourcesQuery,
  ResourcesSortKey,
  ResourcesUpdate,
  Span,
  SpanQuery,
  SpanSortKey,
  Worker,
  WorkerQuery,
  WorkerSortKey,
} from '@agl/schemas';
import type { Checked } from './engine.js';
import { pageRequest, type Page, type PageRequest } from './queries.js';

/** Prepared statements by SQL text: queries are built from a few shapes, each prepared once. */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** A statement returning its first column. */
  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).pluck();
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

type Params = Record<string, string | number>;

/** One optional condition of a query: its SQL and parameters, or undefined when the query did not send it. */
export type SqlCondition = { sql: string; params: Params } | undefined;

/** The conditions that were sent, combined by `logic`; "" when none was (an empty group filters nothing). */
export function combine(conditions: SqlCondition[], logic: FilterLogic): { sql: string; params: Params } {
  const active = conditions.filter((c) => c !== undefined);
  const sql = active.map((c) => `(${c.sql})`).join(logic === 'and' ? ' AND ' : ' OR ');
  return { sql, params: Object.assign({}, ...active.map((c) => c.params)) as Params };
}

/** `*_in`: the value is in the list (an empty list matches nothing). */
export function inJson(expression: string, name: string, list: readonly string[] | null): SqlCondition {
  return list === null
    ? undefined
    : { sql: `${expression} IN (SELECT value FROM json_each(@${name}))`, params: { [name]: JSON.stringify(list) } };
}

/** `*_contains`: a case-sensitive substring; a null value reads as "". */
export function containsText(expression: string, name: string, needle: string | null): SqlCondition {
  return needle === null
    ? undefined
    : { sql: `instr(coalesce(${expression}, ''), @${name}) > 0`, params: { [name]: needle } };
}

/** An exact match (a null value matches nothing). */
export function equalsText(expression: string, name: string, expected: string | null): SqlCondition {
  return expected === null ? undefined : { sql: `${expression} = @${name}`, params: { [name]: expected } };
}

const json = (path: string) => `json_extract(doc, '$.${path}')`;
const time = (path: string) => `coalesce(${json(path)}, 9e999)`;
const text = (path: string) => `coalesce(${json(path)}, '')`;
const duration = `coalesce(${json('end_time')} - ${json('start_time')}, 0)`;

/** What each sort key orders by; keys not listed (object-valued) order by insertion alone. */
const ATTEMPT_ORDER: Partial<Record<AttemptSortKey, string>> = {
  rollout_id: 'rollout_id',
  attempt_id: 'attempt_id',
  sequence_id: 'sequence_id',
  start_time: time('start_time'),
  end_time: time('end_time'),
  last_heartbeat_time: time('last_heartbeat_time'),
  status: text('status'),
  worker_id: text('worker_id'),
};

const SPAN_ORDER: Partial<Record<SpanSortKey, string>> = {
  rollout_id: 'rollout_id',
  attempt_id: 'attempt_id',
  sequence_id: json('sequence_id'),
  trace_id: text('trace_id'),
  span_id: 'span_id',
  parent_id: text('parent_id'),
  name: text('name'),
  status_code: text('status.status_code'),
  start_time: time('start_time'),
  end_time: time('end_time'),
  duration,
};

const RESOURCES_ORDER: Partial<Record<ResourcesSortKey, string>> = {
  resources_id: 'resources_id',
  create_time: time('create_time'),
  update_time: time('update_time'),
  version: `coalesce(${json('version')}, 0)`,
};

const WORKER_ORDER: Partial<Record<WorkerSortKey, string>> = {
  worker_id: 'worker_id',
  status: text('status'),
  last_heartbeat_time: time('last_heartbeat_time'),
  last_dequeue_time: time('last_dequeue_time'),
  last_busy_time: time('last_busy_time'),
  last_idle_time: time('last_idle_time'),
  current_rollout_id: text('current_rollout_id'),
  current_attempt_id: text('current_attempt_id'),
};

interface Selection<K extends string> {
  table: string;
  /** The column that is insertion order (the tie-breaker, ascending in both directions). */
  insertion: string;
  order: Partial<Record<K, string>>;
  /** Always applied (ANDed with the optional group). */
  scope: { sql: string; params: Params } | null;
  filter: { sql: string; params: Params };
}

/** A page of JSON documents: matches counted, sorted (ties in insertion order), cut. */
function selectDocs<T, K extends string>(cache: StatementCache, s: Selection<K>, request: PageRequest<K>): Page<T> {
  const where = [s.scope?.sql, s.filter.sql].filter((c) => c).map((c) => `(${c})`);
  const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const key = request.sortBy === null ? undefined : s.order[request.sortBy];
  const direction = request.sortOrder === 'desc' ? 'DESC' : 'ASC';
  const orderBy = key ? `${key} ${direction}, ${s.insertion}` : s.insertion;
  const params = { ...s.scope?.params, ...s.filter.params };
  const total = cache.get(`SELECT count(*) FROM ${s.table} ${whereSql}`).get(params) as number;
  if (total <= request.offset) return { items: [], total };
  const docs = cache
    .get(`SELECT doc FROM ${s.table} ${whereSql} ORDER BY ${orderBy} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: request.limit, offset: request.offset }) as string[];
  return { items: docs.map((doc) => JSON.parse(doc) as T), total };
}

export function queryAttempts(
  cache: StatementCache,
  rolloutId: string,
  request: PageRequest<AttemptSortKey>,
): Page<Attempt> {
  const scope = { sql: 'rollout_id = @rollout_id', params: { rollout_id: rolloutId } };
  const selection = {
    table: 'attempts',
    insertion: 'sequence_id',
    order: ATTEMPT_ORDER,
    scope,
    filter: combine([], 'and'),
  };
  return selectDocs(cache, selection, request);
}

export function querySpans(cache: StatementCache, query: Checked<SpanQuery, SpanSortKey>): Page<Span> {
  // The rollout (and the attempt, when given) always apply; the optional conditions combine among themselves.
  const scope =
    query.attempt_id === null
      ? { sql: 'rollout_id = @rollout_id', params: { rollout_id: query.rollout_id } as Params }
      : {
          sql: 'rollout_id = @rollout_id AND attempt_id = @attempt_id',
          params: { rollout_id: query.rollout_id, attempt_id: query.attempt_id },
        };
  const filter = combine(
    [
      equalsText(json('trace_id'), 'trace_id', query.trace_id),
      containsText(json('trace_id'), 'trace_id_contains', query.trace_id_contains),
      equalsText('span_id', 'span_id', query.span_id),
      containsText('span_id', 'span_id_contains', query.span_id_contains),
      equalsText(json('parent_id'), 'parent_id', query.parent_id),
      containsText(json('parent_id'), 'parent_id_contains', query.parent_id_contains),
      equalsText(json('name'), 'name', query.name),
      containsText(json('name'), 'name_contains', query.name_contains),
    ],
    query.filter_logic,
  );
  return selectDocs(cache, { table: 'spans', insertion: 'seq', order: SPAN_ORDER, scope, filter }, pageRequest(query));
}

export function queryResources(
  cache: StatementCache,
  query: Checked<ResourcesQuery, ResourcesSortKey>,
): Page<ResourcesUpdate> {
  // Both resources filters always apply together (§8.2).
  const filter = combine(
    [
      equalsText('resources_id', 'resources_id', query.resources_id),
      containsText('resources_id', 'resources_id_contains', query.resources_id_contains),
    ],
    'and',
  );
  const selection = { table: 'resources', insertion: 'created_seq', order: RESOURCES_ORDER, scope: null, filter };
  return selectDocs(cache, selection, pageRequest(query));
}

export function queryWorkers(cache: StatementCache, query: Checked<WorkerQuery, WorkerSortKey>): Page<Worker> {
  const filter = combine(
    [
      inJson(json('status'), 'status_in', query.status_in),
      containsText('worker_id', 'worker_id_contains', query.worker_id_contains),
    ],
    query.filter_logic,
  );
  return selectDocs(
    cache,
    { table: 'workers', insertion: 'seq', order: WORKER_ORDER, scope: null, filter },
    pageRequest(query),
  );
}
