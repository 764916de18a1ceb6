/**
 * SQLite engine (better-sqlite3, WAL): the embedded, durable default. Synchronous inside, behind the async contract.
 *
 * Group commit: the first write of an event-loop turn opens a batch (BEGIN) and schedules its COMMIT for the end of
 * the turn; each transaction is a savepoint inside it, so it is still atomic and a failing one rolls back alone. One
 * COMMIT (one write to the WAL) then covers every request handled in that turn, and each write resolves only after
 * it: nothing is acknowledged before it is durable.
 */
import type Database from 'better-sqlite3';
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
import type { ChangeSet } from '../store/changes.js';
import { rolloutColumns } from './columns.js';
import type {
  ChangeListener,
  Checked,
  RolloutRecord,
  StorageEngine,
  StorageReader,
  StorageTx,
  StoreCounts,
} from './engine.js';
import { describeSqliteError, type StorageError } from './errors.js';
import type { Page, PageRequest } from './queries.js';
import { SerialQueue } from './serial.js';
import { openSqliteStore } from './sqlite-open.js';
import { queryAttempts, queryResources, querySpans, queryWorkers, StatementCache } from './sqlite-queries.js';
import { CANDIDATE_LIMIT, queryRollouts } from './sqlite-rollout-queries.js';
import { REFRESH_MS, RolloutKeys } from './sqlite-keys.js';
import { prepareStatements, type Statements } from './sqlite-statements.js';
import { holdBeforeCommit } from './test-hooks.js';

type Row = { doc: string; latest_doc: string | null };

/** A group commit in the making: its transactions' changes, and the promise their writers await. */
interface Batch {
  committed: Promise<void>;
  changes: ChangeSet[];
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface SqliteOptions {
  /** Rollout filters matching at most this many are sorted rather than walked in order (tests lower it). */
  candidateLimit?: number;
}

/** Rollouts kept parsed in memory (write-through): nearly every request reads the rollout it touches. */
const RECORD_CACHE_SIZE = 20_000;

export class SqliteEngine implements StorageEngine {
  readonly kind = 'sqlite';
  readonly shared = false;
  private readonly db: Database.Database;
  private readonly releaseLock: () => void;
  private readonly s: Statements;
  private readonly serial = new SerialQueue();
  private readonly data: SqliteData;
  /** The open batch: its commit, and the changes of the transactions in it. */
  private batch: Batch | null = null;
  /** The next refresh of rollout sort keys nobody queried (sqlite-keys.ts). */
  private refreshTimer: NodeJS.Timeout | null = null;
  private changeListener: ChangeListener = () => undefined;
  private commitFailedListener: (error: Error) => void = () => undefined;

  constructor(
    readonly path: string,
    options: SqliteOptions = {},
  ) {
    const opened = openSqliteStore(path);
    this.db = opened.db;
    this.releaseLock = opened.releaseLock;
    this.s = prepareStatements(this.db);
    this.data = new SqliteData(
      this.s,
      new StatementCache(this.db),
      options.candidateLimit ?? CANDIDATE_LIMIT,
      new RolloutKeys(this.db),
      () => void (this.batch ?? this.openBatch()),
    );
  }

  async write<T>(changes: ChangeSet, fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    const { result, committed } = await this.serial.run(async () => {
      try {
        const batch = this.batch ?? this.openBatch();
        this.s.savepoint.run();
        try {
          const value = await fn(this.data);
          this.s.release.run();
          batch.changes.push(changes);
          this.scheduleRefresh();
          return { result: value, committed: batch.committed };
        } catch (error) {
          this.s.rollbackTo.run();
          this.s.release.run();
          throw error;
        }
      } catch (error) {
        this.data.forgetCaches(); // they may hold what the rollback undid
        throw this.describeError(error) ?? error;
      }
    });
    await committed;
    return result;
  }

  async read<T>(fn: (reader: StorageReader) => Promise<T>): Promise<T> {
    const { result, committed } = await this.serial.run(async () => {
      try {
        // What the read saw may include the open batch's writes: answer only once they are durable.
        return { result: await fn(this.data), committed: this.batch?.committed };
      } catch (error) {
        throw this.describeError(error) ?? error;
      }
    });
    if (committed) await committed;
    return result;
  }

  onChanges(listener: ChangeListener): void {
    this.changeListener = listener;
  }

  onCommitFailed(listener: (error: Error) => void): void {
    this.commitFailedListener = listener;
  }

  describeError(error: unknown): StorageError | null {
    return describeSqliteError(error, this.path);
  }

  async close(): Promise<void> {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    await this.serial.run(async () => {
      if (!this.db.open) return;
      if (this.batch) this.endBatch();
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        this.db.close();
        this.releaseLock();
      }
    });
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer || !this.data.keysPending) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.serial.run(async () => {
        if (!this.db.open) return;
        try {
          this.data.refreshKeys();
        } catch (error) {
          // The keys stay flagged; the next query or refresh tries again.
          console.error('agl-store: writing rollout sort keys failed', this.describeError(error) ?? error);
        }
      });
    }, REFRESH_MS);
    this.refreshTimer.unref();
  }

  private openBatch(): Batch {
    this.s.begin.run();
    const handlers: Pick<Batch, 'resolve' | 'reject'> = { resolve: () => undefined, reject: () => undefined };
    const committed = new Promise<void>((resolve, reject) => Object.assign(handlers, { resolve, reject }));
    // Nobody may be waiting (a background watchdog scan); a failed commit must still not crash the process.
    committed.catch(() => undefined);
    const batch: Batch = { committed, changes: [], ...handlers };
    this.batch = batch;
    setImmediate(() => void this.serial.run(async () => this.batch === batch && this.endBatch()));
    return batch;
  }

  /** Commits the open batch and announces its changes; on failure rolls it back and says so. Never throws. */
  private endBatch(): void {
    const batch = this.batch!;
    this.batch = null;
    let failure: Error | null = null;
    holdBeforeCommit();
    try {
      this.s.commit.run();
    } catch (error) {
      this.data.forgetCaches();
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // A COMMIT that fails hard rolls back by itself; nothing more to undo.
      }
      failure = this.describeError(error) ?? (error instanceof Error ? error : new Error(String(error)));
    }
    // Listeners hear about the batch before anyone awaiting it resumes: waits it wakes answer after it, too.
    if (failure) {
      safely(() => this.commitFailedListener(failure));
      batch.reject(failure);
    } else {
      for (const changes of batch.changes) safely(() => this.changeListener(changes, true));
      batch.resolve();
    }
  }
}

/** Listeners are the store's and guard themselves; should one still throw, the batch must settle regardless. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    console.error('agl-store: a change listener failed', error);
  }
}

/** Reads and writes over the prepared statements, with the row and counter caches. */
class SqliteData implements StorageTx {
  /**
   * Write-through cache of recently used rollouts with their latest attempt; this process is the database's only
   * writer (sqlite-open.ts). Cleared whenever a write fails, so it never holds what a rollback undid.
   */
  private readonly records = new Map<string, RolloutRecord>();
  private readonly counters = new Map<string, number>();

  constructor(
    private readonly s: Statements,
    private readonly queries: StatementCache,
    private readonly candidateLimit: number,
    private readonly keys: RolloutKeys,
    /** Opens the group-commit batch if none is: a read that refreshes sort keys writes. */
    private readonly openTransaction: () => void,
  ) {}

  forgetCaches(): void {
    this.records.clear();
    this.counters.clear();
    this.keys.forget();
  }

  get keysPending(): boolean {
    return this.keys.pending;
  }

  /** Writes the sort keys of rollouts that changed since the last time (sqlite-keys.ts), in a savepoint of its own. */
  refreshKeys(): void {
    if (!this.keys.pending) return;
    this.openTransaction();
    this.s.keysSavepoint.run();
    try {
      this.keys.refresh((rolloutId) => this.getRollout(rolloutId));
      this.s.keysRelease.run();
    } catch (error) {
      this.s.keysRollbackTo.run();
      this.s.keysRelease.run();
      this.keys.forget();
      throw error;
    }
  }

  private remember(record: RolloutRecord): void {
    const id = record.rollout.rollout_id;
    this.records.delete(id);
    this.records.set(id, record);
    if (this.records.size > RECORD_CACHE_SIZE) this.records.delete(this.records.keys().next().value!);
  }

  getRollout(rolloutId: string): RolloutRecord | null {
    const cached = this.records.get(rolloutId);
    if (cached) return cached;
    const row = this.s.getRollout.get(rolloutId) as Row | undefined;
    if (!row) return null;
    const record = toRecord(row);
    this.remember(record);
    return record;
  }

  lockRollout(rolloutId: string): RolloutRecord | null {
    return this.getRollout(rolloutId); // one writer: reading is locking
  }

  listRollouts(): RolloutRecord[] {
    return (this.s.listRollouts.all() as Row[]).map(toRecord);
  }

  listRolloutsByIds(rolloutIds: string[]): RolloutRecord[] {
    return (this.s.listByIds.all(JSON.stringify(rolloutIds)) as Row[]).map(toRecord);
  }

  listRolloutsJson(): Array<[string, string | null]> {
    return this.s.listRolloutsRaw.all() as Array<[string, string | null]>;
  }

  listDueRollouts(now: number, limit: number): string[] {
    return this.s.listDue.all(now, limit) as string[];
  }

  nextDueTime(): number | null {
    return (this.s.nextDue.get() as number | null | undefined) ?? null;
  }

  insertRollout(record: RolloutRecord): void {
    this.s.insertRollout.run(rolloutParams(record));
    this.keys.inserted(record.rollout.rollout_id);
    this.remember(record);
  }

  saveRollout(record: RolloutRecord): void {
    const previous = this.records.get(record.rollout.rollout_id);
    const params = rolloutParams(record);
    this.keys.save(params.id, previous ? rolloutColumns(previous) : null, params).run(params);
    this.remember(record);
  }

  insertAttempt(attempt: Attempt): void {
    this.s.insertAttempt.run(attempt.rollout_id, attempt.sequence_id, attempt.attempt_id, JSON.stringify(attempt));
  }

  saveAttempt(attempt: Attempt): void {
    this.s.saveAttempt.run(JSON.stringify(attempt), attempt.rollout_id, attempt.sequence_id);
  }

  getAttempt(rolloutId: string, attemptId: string): Attempt | null {
    const latest = this.records.get(rolloutId)?.latest;
    if (latest?.attempt_id === attemptId) return latest;
    const doc = this.s.getAttempt.get(rolloutId, attemptId) as string | undefined;
    return doc ? (JSON.parse(doc) as Attempt) : null;
  }

  listAttempts(rolloutId: string): Attempt[] {
    return (this.s.listAttempts.all(rolloutId) as string[]).map((doc) => JSON.parse(doc) as Attempt);
  }

  enqueue(rolloutId: string): void {
    this.s.enqueue.run(rolloutId);
  }

  removeFromQueue(rolloutId: string): void {
    this.s.queueRemove.run(rolloutId);
  }

  popQueueHead(): string | null {
    return (this.s.queuePop.get() as string | undefined) ?? null;
  }

  writeResources(update: ResourcesUpdate): void {
    this.s.writeResources.run({ id: update.resources_id, doc: JSON.stringify(update) });
  }

  getResources(resourcesId: string): ResourcesUpdate | null {
    return parse<ResourcesUpdate>(this.s.getResources.get(resourcesId));
  }

  getLatestResources(): ResourcesUpdate | null {
    return parse<ResourcesUpdate>(this.s.latestResources.get());
  }

  listResources(): ResourcesUpdate[] {
    return (this.s.listResources.all() as string[]).map((doc) => JSON.parse(doc) as ResourcesUpdate);
  }

  insertSpan(span: Span): { span: Span; created: boolean } {
    const result = this.s.insertSpan.run(span.rollout_id, span.attempt_id, span.span_id, JSON.stringify(span));
    if (result.changes > 0) return { span, created: true };
    const stored = this.s.getSpan.get(span.rollout_id, span.attempt_id, span.span_id) as string;
    return { span: JSON.parse(stored) as Span, created: false };
  }

  listSpans(rolloutId: string, attemptId: string | null): Span[] {
    const docs = (
      attemptId === null ? this.s.listSpans.all(rolloutId) : this.s.listAttemptSpans.all(rolloutId, attemptId)
    ) as string[];
    return docs.map((doc) => JSON.parse(doc) as Span);
  }

  getSpan(rolloutId: string, attemptId: string, spanId: string): Span | null {
    return parse<Span>(this.s.getSpan.get(rolloutId, attemptId, spanId));
  }

  insertSpans(spans: Span[]): Array<{ span: Span; created: boolean }> {
    return spans.map((span) => this.insertSpan(span));
  }

  // ---- v0.3 queries: indexed SQL (sqlite-queries.ts, sqlite-rollout-queries.ts) ----

  queryRollouts(query: Checked<RolloutQuery, RolloutSortKey>): Page<RolloutRecord> {
    this.refreshKeys();
    const { seqs, total } = queryRollouts(this.queries, query, this.candidateLimit);
    if (seqs.length === 0) return { items: [], total };
    const rows = this.s.pageRollouts.all(JSON.stringify(seqs)) as Array<Row & { seq: number }>;
    const bySeq = new Map(rows.map((row) => [row.seq, row]));
    return { items: seqs.map((seq) => toRecord(bySeq.get(seq)!)), total };
  }

  queryAttempts(rolloutId: string, request: PageRequest<AttemptSortKey>): Page<Attempt> {
    return queryAttempts(this.queries, rolloutId, request);
  }

  querySpans(query: Checked<SpanQuery, SpanSortKey>): Page<Span> {
    return querySpans(this.queries, query);
  }

  queryResources(query: Checked<ResourcesQuery, ResourcesSortKey>): Page<ResourcesUpdate> {
    return queryResources(this.queries, query);
  }

  queryWorkers(query: Checked<WorkerQuery, WorkerSortKey>): Page<Worker> {
    return queryWorkers(this.queries, query);
  }

  getWorker(workerId: string): Worker | null {
    return parse<Worker>(this.s.getWorker.get(workerId));
  }

  lockWorker(workerId: string): Worker | null {
    return this.getWorker(workerId);
  }

  saveWorker(worker: Worker): void {
    this.s.saveWorker.run(worker.worker_id, JSON.stringify(worker));
  }

  counts(): StoreCounts {
    const count = (name: 'countRollouts' | 'countAttempts' | 'countSpans' | 'countResources' | 'countWorkers') =>
      this.s[name].get() as number;
    return {
      rollouts: count('countRollouts'),
      attempts: count('countAttempts'),
      spans: count('countSpans'),
      resources: count('countResources'),
      workers: count('countWorkers'),
    };
  }

  reserveSpanSequenceIds(rolloutId: string, count: number): number {
    const first = this.counter(rolloutId) + 1;
    this.setCounter(rolloutId, first + count - 1);
    return first;
  }

  nextSpanSequenceId(rolloutId: string): number {
    const next = this.counter(rolloutId) + 1;
    this.setCounter(rolloutId, next);
    return next;
  }

  raiseSpanSequenceId(rolloutId: string, value: number): void {
    if (value > this.counter(rolloutId)) this.setCounter(rolloutId, value);
  }

  private counter(rolloutId: string): number {
    const cached = this.counters.get(rolloutId);
    if (cached !== undefined) return cached;
    const value = (this.s.getCounter.get(rolloutId) as number | undefined) ?? 0;
    this.counters.set(rolloutId, value);
    return value;
  }

  private setCounter(rolloutId: string, value: number): void {
    this.s.setCounter.run(rolloutId, value);
    this.counters.set(rolloutId, value);
  }
}

function rolloutParams(record: RolloutRecord) {
  return {
    ...rolloutColumns(record),
    id: record.rollout.rollout_id,
    doc: JSON.stringify(record.rollout),
    latestDoc: record.latest ? JSON.stringify(record.latest) : null,
  };
}

function toRecord(row: Row): RolloutRecord {
  return {
    rollout: JSON.parse(row.doc) as RolloutRecord['rollout'],
    latest: row.latest_doc ? (JSON.parse(row.latest_doc) as Attempt) : null,
  };
}

function parse<T>(doc: unknown): T | null {
  return typeof doc === 'string' ? (JSON.parse(doc) as T) : null;
}
