/**
 * Reads and writes of the PostgreSQL engine. A reader runs each statement on any pooled connection (each sees the
 * latest committed state); a transaction runs every statement on its own connection between BEGIN and COMMIT.
 *
 * Isolation is READ COMMITTED with explicit locks where an operation reads what it will write: rollouts (`FOR
 * UPDATE`), workers and resources snapshots (a transaction-scoped advisory lock on the id, which also covers rows not
 * created yet), the queue head (`FOR UPDATE SKIP LOCKED`), span counters (one atomic upsert). Every rollout change
 * of the store goes through `lockRollout` first, so two servers never interleave on one rollout.
 */
import type {
  Attempt,
  AttemptSortKey,
  ResourcesQuery,
  ResourcesSortKey,
  ResourcesUpdate,
  RolloutQuery,
  RolloutSortKey,
  Span,
  SpanQuery,
  SpanSortKey,
  Worker,
  WorkerQuery,
  WorkerSortKey,
} from '@agl/schemas';
import type pg from 'pg';
import type { Checked, RolloutRecord, StorageReader, StorageTx, StoreCounts } from '../engine.js';
import { attemptSortValue, selectPage, type Page, type PageRequest } from '../queries.js';
import { attemptParams, resourcesParams, rolloutParams, spanParams, workerParams } from './columns.js';
import { LOCKS } from './errors.js';
import { queryResources, queryRollouts, querySpans, queryWorkers } from './queries.js';
import { SQL, type StatementName } from './statements.js';

/** A pool (reads) or one client inside a transaction (writes). */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

type Row = { doc: string; latest_doc: string | null };

/** What a transaction added to the collections, published with its commit (counts for statistics). */
export interface Added {
  rollouts: number;
  attempts: number;
  spans: number;
  resources: number;
  workers: number;
}

export class PgReader implements StorageReader {
  constructor(protected readonly db: Queryable) {}

  /** A fixed statement, prepared once per connection. */
  protected run<R extends pg.QueryResultRow>(name: StatementName, values: unknown[] = []) {
    return this.db.query<R>({ name, text: SQL[name], values: storable(values) });
  }

  protected async docs<T>(name: StatementName, values: unknown[]): Promise<T[]> {
    return (await this.run<{ doc: string }>(name, values)).rows.map((row) => JSON.parse(row.doc) as T);
  }

  protected async doc<T>(name: StatementName, values: unknown[]): Promise<T | null> {
    const row = (await this.run<{ doc: string }>(name, values)).rows[0];
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  async getRollout(rolloutId: string): Promise<RolloutRecord | null> {
    const row = (await this.run<Row>('getRollout', [rolloutId])).rows[0];
    return row ? toRecord(row) : null;
  }

  async listRollouts(): Promise<RolloutRecord[]> {
    return (await this.run<Row>('listRollouts')).rows.map(toRecord);
  }

  async listRolloutsByIds(rolloutIds: string[]): Promise<RolloutRecord[]> {
    if (rolloutIds.length === 0) return [];
    return (await this.run<Row>('listByIds', [rolloutIds])).rows.map(toRecord);
  }

  async listRolloutsJson(): Promise<Array<[string, string | null]>> {
    const result = await this.db.query<[string, string | null]>({
      name: 'listRolloutsRaw',
      text: SQL.listRollouts,
      rowMode: 'array',
    });
    return result.rows;
  }

  async rolloutsChangedSince(cursor: string | null): Promise<{ ids: string[]; cursor: string }> {
    if (cursor === null) return { ids: [], cursor: (await this.run<{ cursor: string }>('snapshot')).rows[0]!.cursor };
    const row = (await this.run<{ cursor: string; ids: string[] }>('changedSince', [cursor])).rows[0]!;
    return { ids: row.ids, cursor: row.cursor };
  }

  async listDueRollouts(now: number, limit: number): Promise<string[]> {
    return (await this.run<{ rollout_id: string }>('listDue', [now, limit])).rows.map((row) => row.rollout_id);
  }

  async nextDueTime(): Promise<number | null> {
    return (await this.run<{ due: number | null }>('nextDue')).rows[0]?.due ?? null;
  }

  getAttempt(rolloutId: string, attemptId: string): Promise<Attempt | null> {
    return this.doc<Attempt>('getAttempt', [rolloutId, attemptId]);
  }

  listAttempts(rolloutId: string): Promise<Attempt[]> {
    return this.docs<Attempt>('listAttempts', [rolloutId]);
  }

  getResources(resourcesId: string): Promise<ResourcesUpdate | null> {
    return this.doc<ResourcesUpdate>('getResources', [resourcesId]);
  }

  getLatestResources(): Promise<ResourcesUpdate | null> {
    return this.doc<ResourcesUpdate>('latestResources', []);
  }

  listResources(): Promise<ResourcesUpdate[]> {
    return this.docs<ResourcesUpdate>('listResources', []);
  }

  listSpans(rolloutId: string, attemptId: string | null): Promise<Span[]> {
    return attemptId === null
      ? this.docs<Span>('listSpans', [rolloutId])
      : this.docs<Span>('listAttemptSpans', [rolloutId, attemptId]);
  }

  getSpan(rolloutId: string, attemptId: string, spanId: string): Promise<Span | null> {
    return this.doc<Span>('getSpan', [rolloutId, attemptId, spanId]);
  }

  queryRollouts(query: Checked<RolloutQuery, RolloutSortKey>): Promise<Page<RolloutRecord>> {
    return queryRollouts(this.db, query, toRecord);
  }

  /** Attempts of one rollout are few (its retries): read them and apply the reference rules directly. */
  async queryAttempts(rolloutId: string, request: PageRequest<AttemptSortKey>): Promise<Page<Attempt>> {
    return selectPage(await this.listAttempts(rolloutId), [], 'and', request, attemptSortValue);
  }

  querySpans(query: Checked<SpanQuery, SpanSortKey>): Promise<Page<Span>> {
    return querySpans(this.db, query);
  }

  queryResources(query: Checked<ResourcesQuery, ResourcesSortKey>): Promise<Page<ResourcesUpdate>> {
    return queryResources(this.db, query);
  }

  queryWorkers(query: Checked<WorkerQuery, WorkerSortKey>): Promise<Page<Worker>> {
    return queryWorkers(this.db, query);
  }

  getWorker(workerId: string): Promise<Worker | null> {
    return this.doc<Worker>('getWorker', [workerId]);
  }

  /** Kept as sharded counters by every write (an exact `count(*)` over 10M spans would take a second). */
  async counts(): Promise<StoreCounts> {
    const kinds = ['rollouts', 'attempts', 'spans', 'resources', 'workers'].map((kind) => `count:${kind}`);
    const rows = (await this.run<{ kind: string; value: string }>('counters', [kinds])).rows;
    const value = (kind: string) => Number(rows.find((row) => row.kind === `count:${kind}`)?.value ?? 0);
    return {
      rollouts: value('rollouts'),
      attempts: value('attempts'),
      spans: value('spans'),
      resources: value('resources'),
      workers: value('workers'),
    };
  }
}

export class PgTx extends PgReader implements StorageTx {
  /** What this transaction added, for the counters published with its commit. */
  readonly added: Added = { rollouts: 0, attempts: 0, spans: 0, resources: 0, workers: 0 };

  constructor(db: Pick<pg.PoolClient, 'query'>) {
    super(db);
  }

  /**
   * Latest attempts of the rollouts this transaction locked, as it wrote them: the next step usually asks for that
   * attempt (a span, an attempt update), and the rollout's lock keeps it from changing meanwhile.
   */
  private readonly latest = new Map<string, Attempt>();

  async lockRollout(rolloutId: string): Promise<RolloutRecord | null> {
    const row = (await this.run<Row>('lockRollout', [rolloutId])).rows[0];
    const record = row ? toRecord(row) : null;
    if (record?.latest) this.latest.set(rolloutId, record.latest);
    return record;
  }

  override async getAttempt(rolloutId: string, attemptId: string): Promise<Attempt | null> {
    const latest = this.latest.get(rolloutId);
    return latest?.attempt_id === attemptId ? latest : super.getAttempt(rolloutId, attemptId);
  }

  async insertRollout(record: RolloutRecord): Promise<void> {
    await this.run('insertRollout', rolloutParams(record));
    this.added.rollouts++;
  }

  async saveRollout(record: RolloutRecord): Promise<void> {
    await this.run('saveRollout', rolloutParams(record));
    this.rememberLatest(record.rollout.rollout_id, record.latest);
  }

  private rememberLatest(rolloutId: string, attempt: Attempt | null): void {
    if (attempt && this.latest.has(rolloutId)) this.latest.set(rolloutId, attempt);
    else this.latest.delete(rolloutId);
  }

  async insertAttempt(attempt: Attempt): Promise<void> {
    await this.run('insertAttempt', attemptParams(attempt));
    this.added.attempts++;
  }

  async saveAttempt(attempt: Attempt): Promise<void> {
    await this.run('saveAttempt', [attempt.rollout_id, attempt.sequence_id, JSON.stringify(attempt)]);
    const latest = this.latest.get(attempt.rollout_id);
    if (latest?.sequence_id === attempt.sequence_id) this.latest.set(attempt.rollout_id, attempt);
  }

  async enqueue(rolloutId: string): Promise<void> {
    await this.run('enqueue', [rolloutId]);
  }

  async removeFromQueue(rolloutId: string): Promise<void> {
    await this.run('queueRemove', [rolloutId]);
  }

  async popQueueHead(): Promise<string | null> {
    return (await this.run<{ rollout_id: string }>('queuePop')).rows[0]?.rollout_id ?? null;
  }

  /** Inside a write, reading a snapshot means it may be rewritten next (an upsert bumps its version): lock it. */
  override getResources(resourcesId: string): Promise<ResourcesUpdate | null> {
    return this.lockedDoc<ResourcesUpdate>('lockResources', LOCKS.resources, resourcesId);
  }

  async writeResources(update: ResourcesUpdate): Promise<void> {
    const result = await this.run<{ created: boolean }>('writeResources', resourcesParams(update));
    if (result.rows[0]?.created) this.added.resources++;
  }

  async insertSpan(span: Span): Promise<{ span: Span; created: boolean }> {
    const result = await this.run('insertSpan', spanParams(span));
    if (result.rows.length > 0) {
      this.added.spans++;
      return { span, created: true };
    }
    return { span: (await this.getSpan(span.rollout_id, span.attempt_id, span.span_id))!, created: false };
  }

  async insertSpans(spans: Span[]): Promise<Array<{ span: Span; created: boolean }>> {
    const results: Array<{ span: Span; created: boolean }> = [];
    for (const span of spans) results.push(await this.insertSpan(span));
    return results;
  }

  nextSpanSequenceId(rolloutId: string): Promise<number> {
    return this.reserveSpanSequenceIds(rolloutId, 1);
  }

  async raiseSpanSequenceId(rolloutId: string, value: number): Promise<void> {
    await this.run('raiseSpanSeq', [rolloutId, value]);
  }

  async reserveSpanSequenceIds(rolloutId: string, count: number): Promise<number> {
    const last = (await this.run<{ value: string }>('nextSpanSeq', [rolloutId, count])).rows[0]!.value;
    return Number(last) - count + 1;
  }

  lockWorker(workerId: string): Promise<Worker | null> {
    return this.lockedDoc<Worker>('lockWorker', LOCKS.worker, workerId);
  }

  /**
   * A row read with its lock (`FOR UPDATE`). A row that does not exist yet cannot be locked, so its id is locked
   * instead (a transaction-scoped advisory lock) and the read repeated: two transactions creating the same worker
   * or snapshot take turns, and the second sees the first one's row.
   */
  private async lockedDoc<T>(name: 'lockWorker' | 'lockResources', kind: number, id: string): Promise<T | null> {
    const found = await this.doc<T>(name, [id]);
    if (found) return found;
    await this.run('lockKey', [kind, id]);
    return this.doc<T>(name, [id]);
  }

  async saveWorker(worker: Worker): Promise<void> {
    const result = await this.run<{ created: boolean }>('saveWorker', workerParams(worker));
    if (result.rows[0]?.created) this.added.workers++;
  }
}

/**
 * PostgreSQL text holds neither NUL nor unpaired surrogates, which JSON strings (and so ids and names sent by
 * clients) may contain. Such characters are written as U+FFFE (a noncharacter) and four hex digits, so lookups find
 * what was stored and distinct ids stay distinct (short of ids that contain U+FFFE and hex digits themselves).
 * Documents are JSON text and never contain either (JSON.stringify escapes both), so they pass unchanged.
 */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const MAYBE_UNSTORABLE = /[\0\uD800-\uDFFF]/;

export function storable(values: unknown[]): unknown[] {
  return values.map((value) => {
    if (typeof value === 'string') return storableText(value);
    if (Array.isArray(value)) return storable(value);
    return value;
  });
}

export function storableText(value: string): string {
  return MAYBE_UNSTORABLE.test(value) ? escapeText(value) : value;
}

function escapeText(value: string): string {
  return value.replace(UNSTORABLE, (char) => `\uFFFE${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function toRecord(row: Row): RolloutRecord {
  return {
    rollout: JSON.parse(row.doc) as RolloutRecord['rollout'],
    latest: row.latest_doc ? (JSON.parse(row.latest_doc) as Attempt) : null,
  };
}
