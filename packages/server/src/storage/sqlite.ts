/** SQLite engine (better-sqlite3, WAL): the embedded, durable default. */
import type Database from 'better-sqlite3';
import type { Attempt, ResourcesUpdate, Rollout, Span } from '@agl/schemas';
import type { BatchListener, RolloutRecord, StorageEngine } from './engine.js';
import type { StorageError } from './errors.js';
import { describeSqliteError } from './errors.js';
import { openSqliteStore } from './sqlite-open.js';

type Row = Record<string, unknown>;

const RECORD_CACHE_SIZE = 20_000;

export class SqliteEngine implements StorageEngine {
  readonly name = 'sqlite';
  private readonly db: Database.Database;
  private readonly runInTransaction: (fn: () => unknown) => unknown;
  private readonly s: ReturnType<typeof prepareStatements>;
  /** The open group commit, if any: settles when the batch's COMMIT has run. */
  private pending: Promise<void> | null = null;
  /**
   * Write-through cache of recently used rollouts with their latest attempt: nearly every request reads the
   * rollout it touches, and this process is the database's only writer. Cleared whenever a write fails, so it
   * can never hold what a rollback undid. Callers must not mutate returned objects (the store copies first).
   */
  private readonly records = new Map<string, RolloutRecord>();
  private readonly counters = new Map<string, number>();

  private readonly releaseLock: () => void;
  private batchListener: BatchListener = () => undefined;

  constructor(readonly path: string) {
    const opened = openSqliteStore(path);
    this.db = opened.db;
    this.releaseLock = opened.releaseLock;
    this.s = prepareStatements(this.db);
    this.runInTransaction = this.db.transaction((fn: () => unknown) => fn());
  }

  onBatchEnd(listener: BatchListener): void {
    this.batchListener = listener;
  }

  describeError(error: unknown): StorageError | null {
    return describeSqliteError(error, this.path);
  }

  /**
   * Group commit: the first operation of an event-loop turn opens a batch (BEGIN) and schedules its COMMIT for
   * the end of the turn; each operation runs in a savepoint inside it, so it is still atomic and a failing one
   * rolls back alone. One COMMIT (one write to the WAL) then covers every request handled in that turn.
   */
  transaction<T>(fn: () => T): T {
    try {
      if (!this.db.inTransaction) this.openBatch();
      return this.runInTransaction(fn) as T;
    } catch (error) {
      this.forgetCaches();
      throw describeSqliteError(error, this.path) ?? error;
    }
  }

  private forgetCaches(): void {
    this.records.clear();
    this.counters.clear();
  }

  private remember(rolloutId: string, record: RolloutRecord): void {
    this.records.delete(rolloutId);
    this.records.set(rolloutId, record);
    if (this.records.size > RECORD_CACHE_SIZE) this.records.delete(this.records.keys().next().value!);
  }

  flush(): Promise<void> | null {
    return this.pending;
  }

  private openBatch(): void {
    this.db.exec('BEGIN');
    this.pending = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.pending = null;
        const error = this.commitBatch();
        // The listener runs before anyone awaiting the flush hears back: waits woken by this batch answer after it.
        this.batchListener(error);
        if (error) reject(error);
        else resolve();
      });
    });
    // Nobody may be waiting (a background watchdog scan); a failed commit must still not crash the process.
    this.pending.catch(() => undefined);
  }

  /** Commits the open batch; on failure rolls it back and returns what went wrong (never throws). */
  private commitBatch(): StorageError | Error | null {
    try {
      this.db.exec('COMMIT');
      return null;
    } catch (error) {
      this.forgetCaches();
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // The connection rolls back by itself when a COMMIT fails hard; nothing more to undo.
      }
      return describeSqliteError(error, this.path) ?? (error instanceof Error ? error : new Error(String(error)));
    }
  }

  close(): void {
    if (this.db.open) {
      if (this.db.inTransaction) this.batchListener(this.commitBatch());
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        this.db.close();
        this.releaseLock();
      }
    }
  }

  insertRollout(rollout: Rollout): void {
    this.s.insertRollout.run(rollout.rollout_id, rollout.status, JSON.stringify(rollout));
    this.remember(rollout.rollout_id, { rollout, latest: null });
  }

  saveRollout(rollout: Rollout): void {
    this.s.saveRollout.run(rollout.status, JSON.stringify(rollout), rollout.rollout_id);
    const cached = this.records.get(rollout.rollout_id);
    if (cached) this.remember(rollout.rollout_id, { rollout, latest: cached.latest });
  }

  getRollout(rolloutId: string): RolloutRecord | null {
    const cached = this.records.get(rolloutId);
    if (cached) return cached;
    const row = this.s.getRollout.get(rolloutId) as Row | undefined;
    if (!row) return null;
    const record = toRecord(row);
    this.remember(rolloutId, record);
    return record;
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

  listActiveRollouts(): RolloutRecord[] {
    return (this.s.listActive.all() as Row[]).map(toRecord);
  }

  insertAttempt(attempt: Attempt): void {
    const doc = JSON.stringify(attempt);
    this.s.insertAttempt.run(attempt.rollout_id, attempt.sequence_id, attempt.attempt_id, doc);
    this.s.setLatest.run(attempt.sequence_id, doc, attempt.rollout_id);
    const cached = this.records.get(attempt.rollout_id);
    if (cached) this.remember(attempt.rollout_id, { rollout: cached.rollout, latest: attempt });
  }

  saveAttempt(attempt: Attempt): void {
    const doc = JSON.stringify(attempt);
    this.s.saveAttempt.run(doc, attempt.rollout_id, attempt.sequence_id);
    this.s.saveLatest.run(doc, attempt.rollout_id, attempt.sequence_id);
    const cached = this.records.get(attempt.rollout_id);
    if (cached?.latest?.sequence_id === attempt.sequence_id) {
      this.remember(attempt.rollout_id, { rollout: cached.rollout, latest: attempt });
    }
  }

  getAttempt(rolloutId: string, attemptId: string): Attempt | null {
    const latest = this.records.get(rolloutId)?.latest;
    if (latest?.attempt_id === attemptId) return latest;
    const doc = this.s.getAttempt.pluck().get(rolloutId, attemptId) as string | undefined;
    return doc ? (JSON.parse(doc) as Attempt) : null;
  }

  listAttempts(rolloutId: string): Attempt[] {
    return (this.s.listAttempts.pluck().all(rolloutId) as string[]).map((doc) => JSON.parse(doc) as Attempt);
  }

  enqueue(rolloutId: string): void {
    this.s.enqueue.run(rolloutId);
  }

  dequeueRemove(rolloutId: string): void {
    this.s.queueRemove.run(rolloutId);
  }

  popQueueHead(): string | null {
    return (this.s.queuePop.pluck().get() as string | undefined) ?? null;
  }

  isQueued(rolloutId: string): boolean {
    return this.s.queueHas.get(rolloutId) !== undefined;
  }

  writeResources(update: ResourcesUpdate): void {
    this.s.writeResources.run(update.resources_id, JSON.stringify(update));
  }

  getResources(resourcesId: string): ResourcesUpdate | null {
    const doc = this.s.getResources.pluck().get(resourcesId) as string | undefined;
    return doc ? (JSON.parse(doc) as ResourcesUpdate) : null;
  }

  getLatestResources(): ResourcesUpdate | null {
    const doc = this.s.latestResources.pluck().get() as string | undefined;
    return doc ? (JSON.parse(doc) as ResourcesUpdate) : null;
  }

  listResources(): ResourcesUpdate[] {
    return (this.s.listResources.pluck().all() as string[]).map((doc) => JSON.parse(doc) as ResourcesUpdate);
  }

  insertSpan(span: Span): { span: Span; created: boolean } {
    const result = this.s.insertSpan.run(span.rollout_id, span.attempt_id, span.span_id, JSON.stringify(span));
    if (result.changes > 0) return { span, created: true };
    const doc = this.s.getSpan.pluck().get(span.rollout_id, span.attempt_id, span.span_id) as string;
    return { span: JSON.parse(doc) as Span, created: false };
  }

  listSpans(rolloutId: string, attemptId: string | null): Span[] {
    const docs = (
      attemptId === null
        ? this.s.listSpans.pluck().all(rolloutId)
        : this.s.listAttemptSpans.pluck().all(rolloutId, attemptId)
    ) as string[];
    return docs.map((doc) => JSON.parse(doc) as Span);
  }

  getSpanCounter(rolloutId: string): number {
    const cached = this.counters.get(rolloutId);
    if (cached !== undefined) return cached;
    const value = (this.s.getCounter.pluck().get(rolloutId) as number | undefined) ?? 0;
    this.counters.set(rolloutId, value);
    return value;
  }

  setSpanCounter(rolloutId: string, value: number): void {
    this.s.setCounter.run(rolloutId, value);
    this.counters.set(rolloutId, value);
  }
}

function prepareStatements(db: Database.Database) {
  return {
    insertRollout: db.prepare('INSERT INTO rollouts (rollout_id, status, doc) VALUES (?, ?, ?)'),
    saveRollout: db.prepare('UPDATE rollouts SET status = ?, doc = ? WHERE rollout_id = ?'),
    getRollout: db.prepare('SELECT doc, latest_doc FROM rollouts WHERE rollout_id = ?'),
    listRollouts: db.prepare('SELECT doc, latest_doc FROM rollouts ORDER BY seq'),
    // `raw` switches a statement to arrays for good, so the list-as-JSON read gets a statement of its own.
    listRolloutsRaw: db.prepare('SELECT doc, latest_doc FROM rollouts ORDER BY seq').raw(true),
    listByIds: db.prepare(
      'SELECT doc, latest_doc FROM rollouts WHERE rollout_id IN (SELECT value FROM json_each(?)) ORDER BY seq',
    ),
    listActive: db.prepare("SELECT doc, latest_doc FROM rollouts WHERE status IN ('preparing', 'running')"),
    insertAttempt: db.prepare('INSERT INTO attempts (rollout_id, sequence_id, attempt_id, doc) VALUES (?, ?, ?, ?)'),
    setLatest: db.prepare('UPDATE rollouts SET latest_seq = ?, latest_doc = ? WHERE rollout_id = ?'),
    saveAttempt: db.prepare('UPDATE attempts SET doc = ? WHERE rollout_id = ? AND sequence_id = ?'),
    saveLatest: db.prepare('UPDATE rollouts SET latest_doc = ? WHERE rollout_id = ? AND latest_seq = ?'),
    getAttempt: db.prepare('SELECT doc FROM attempts WHERE rollout_id = ? AND attempt_id = ?'),
    listAttempts: db.prepare('SELECT doc FROM attempts WHERE rollout_id = ? ORDER BY sequence_id'),
    enqueue: db.prepare('INSERT OR IGNORE INTO queue (rollout_id) VALUES (?)'),
    queueRemove: db.prepare('DELETE FROM queue WHERE rollout_id = ?'),
    queuePop: db.prepare('DELETE FROM queue WHERE seq = (SELECT MIN(seq) FROM queue) RETURNING rollout_id'),
    queueHas: db.prepare('SELECT 1 FROM queue WHERE rollout_id = ?'),
    writeResources: db.prepare(
      `INSERT INTO resources (resources_id, write_seq, doc)
       VALUES (?, (SELECT COALESCE(MAX(write_seq), 0) + 1 FROM resources), ?)
       ON CONFLICT(resources_id) DO UPDATE SET write_seq = excluded.write_seq, doc = excluded.doc`,
    ),
    getResources: db.prepare('SELECT doc FROM resources WHERE resources_id = ?'),
    latestResources: db.prepare('SELECT doc FROM resources ORDER BY write_seq DESC LIMIT 1'),
    listResources: db.prepare('SELECT doc FROM resources ORDER BY write_seq DESC'),
    insertSpan: db.prepare('INSERT OR IGNORE INTO spans (rollout_id, attempt_id, span_id, doc) VALUES (?, ?, ?, ?)'),
    getSpan: db.prepare('SELECT doc FROM spans WHERE rollout_id = ? AND attempt_id = ? AND span_id = ?'),
    listSpans: db.prepare('SELECT doc FROM spans WHERE rollout_id = ? ORDER BY seq'),
    listAttemptSpans: db.prepare('SELECT doc FROM spans WHERE rollout_id = ? AND attempt_id = ? ORDER BY seq'),
    getCounter: db.prepare('SELECT value FROM span_counters WHERE rollout_id = ?'),
    setCounter: db.prepare(
      'INSERT INTO span_counters (rollout_id, value) VALUES (?, ?) ON CONFLICT(rollout_id) DO UPDATE SET value = excluded.value',
    ),
  };
}

function toRecord(row: Row): RolloutRecord {
  return {
    rollout: JSON.parse(row.doc as string) as Rollout,
    latest: row.latest_doc ? (JSON.parse(row.latest_doc as string) as Attempt) : null,
  };
}
