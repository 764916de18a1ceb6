/**
 * PostgreSQL engine: several store servers on one database. Every server is equal; the database is the only state
 * they share, so anything a server keeps in memory is either re-read from the database when it matters (list
 * versions, the list view's changed rows) or fed by notifications (waits on rollouts another server finished).
 *
 * A write is one transaction on one pooled connection: BEGIN, the store's steps (row locks where it reads what it
 * writes, see data.ts), the publish statement (counters, versions, notification; publish.ts), COMMIT. Deadlocks
 * between servers' transactions are retried. Reads run each statement on any pooled connection.
 *
 * When the database goes away, requests fail at once with a 503 naming it (the pool does not wait long for a
 * connection) and /health turns degraded; the pool and the session reconnect by themselves when it returns.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { isTerminalRolloutStatus } from '@agl/schemas';
import type { ChangeSet } from '../../store/changes.js';
import { ChangeSet as Changes } from '../../store/changes.js';
import type { ChangeListener, StorageEngine, StorageReader, StorageTx, StoredVersions } from '../engine.js';
import { StorageError } from '../errors.js';
import { PgReader, PgTx, storable, storableText } from './data.js';
import { describePgError, isConnectionError, isRetryable, startupError, whereOf, type Where } from './errors.js';
import { channelOf, decodeNotice, publishAndCommitSql, publishOf } from './publish.js';
import { migrate } from './schema.js';
import { Session } from './session.js';

/** Connections per server; PostgreSQL's default max_connections (100) then allows several servers. */
const POOL_SIZE = 10;
/** How long a request waits for a pooled connection (or a new one to open) before failing with a 503. */
const CONNECT_TIMEOUT_MS = 3000;
/** Attempts of a transaction that keeps deadlocking with another server's. */
const MAX_TRIES = 5;

/** int8 (counts, sums, identities) as numbers: every value we keep is far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export class PostgresEngine implements StorageEngine {
  readonly kind = 'postgres';
  readonly shared = true;
  readonly where: Where;
  readonly versions: StoredVersions;
  private readonly pool: pg.Pool;
  private readonly config: pg.ClientConfig;
  /** Set by `open` once the schema is known (the channel and the watchdog lock belong to it). */
  private session!: Session;
  private channel = '';
  private readonly reader: PgReader;
  /** Tells this server's notifications from other servers'. */
  private readonly origin = randomBytes(8).toString('hex');
  private changeListener: ChangeListener = () => undefined;
  private commitFailedListener: (error: Error) => void = () => undefined;
  private outageListener: (error: Error | null) => void = () => undefined;
  /** Notifications are handled one at a time, in arrival (= commit) order. */
  private notices: Promise<void> = Promise.resolve();

  private constructor(url: string) {
    this.where = whereOf(url);
    const config: pg.ClientConfig = {
      connectionString: url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      types,
      application_name: 'agl-store',
      // A statement stuck behind a lock of a dead server's transaction must not hold a request forever.
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
    };
    this.pool = new pg.Pool({ ...config, max: POOL_SIZE });
    // An idle pooled connection that dies (database restart) is dropped by the pool; nothing to do but not crash.
    this.pool.on('error', () => undefined);
    this.reader = new PgReader(this.pool);
    this.config = config;
    this.versions = {
      rollouts: () => this.counter('version:rollouts'),
      resources: () => this.counter('version:resources'),
      workers: () => this.counter('version:workers'),
      spans: async (rolloutId) => {
        const result = await this.pool.query<{ version: number }>(
          'SELECT version FROM span_counters WHERE rollout_id = $1',
          storable([rolloutId]),
        );
        return String(result.rows[0]?.version ?? 0);
      },
    };
  }

  /** Connects, migrates and listens; fails with one line naming the host, the database and the cause. */
  static async open(url: string): Promise<PostgresEngine> {
    const engine = new PostgresEngine(url);
    try {
      const client = await engine.pool.connect();
      try {
        await migrate(client, engine.where);
        const schema = (await client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]!.schema;
        engine.channel = channelOf(schema);
      } finally {
        client.release();
      }
      engine.session = new Session(engine.config, engine.channel, {
        onNotification: (payload) => engine.onNotification(payload),
        onState: (error) => engine.outageListener(error),
      });
      await engine.session.open();
      return engine;
    } catch (error) {
      await engine.close().catch(() => undefined);
      throw startupError(error, engine.where);
    }
  }

  async write<T>(changes: ChangeSet, fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.transaction(changes, fn);
        safely(() => this.changeListener(changes, true));
        return result;
      } catch (error) {
        if (isRetryable(error) && attempt < MAX_TRIES) {
          clearChanges(changes);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
          continue;
        }
        throw this.describeError(error) ?? error;
      }
    }
  }

  async read<T>(fn: (reader: StorageReader) => Promise<T>): Promise<T> {
    try {
      return await fn(this.reader);
    } catch (error) {
      throw this.describeError(error) ?? error;
    }
  }

  onChanges(listener: ChangeListener): void {
    this.changeListener = listener;
  }

  onCommitFailed(listener: (error: Error) => void): void {
    this.commitFailedListener = listener;
  }

  onOutage(listener: (error: Error | null) => void): void {
    this.outageListener = listener;
  }

  mayRunWatchdog(): boolean {
    return this.session?.isWatchdog ?? false;
  }

  describeError(error: unknown): StorageError | null {
    // The pool's wait for a free connection times out with the same words as a connect that never completes; with
    // every connection open and in use, the database is there but this server is saturated.
    const poolTimeout = error instanceof Error && error.message === 'timeout exceeded when trying to connect';
    if (poolTimeout && this.pool.totalCount >= POOL_SIZE) {
      return new StorageError(
        'AGL_DB_BUSY',
        `All ${POOL_SIZE} connections to the PostgreSQL database ${this.where.database} on ${this.where.host} stayed ` +
          `busy for ${CONNECT_TIMEOUT_MS / 1000} s; try again in a moment`,
        503,
      );
    }
    return describePgError(error, this.where);
  }

  async close(): Promise<void> {
    await this.session?.close();
    await this.pool.end().catch(() => undefined);
  }

  private async transaction<T>(changes: ChangeSet, fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    let committing = false;
    // A connection lost while no statement is in flight (the store is between steps) is reported on the client
    // itself; without a listener that would end the process. The next statement then fails and rolls back.
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const tx = new PgTx(client);
      const result = await fn(tx);
      const publish = publishOf(this.channel, this.origin, changes, tx.added);
      committing = true;
      if (!publish) await client.query('COMMIT');
      else await client.query(publishAndCommitSql(publish, (text) => client.escapeLiteral(storableText(text))));
      return result;
    } catch (error) {
      if (isConnectionError(error)) {
        broken = error as Error;
        // Lost during COMMIT: it may or may not have happened; what memory derived from the data is rebuilt.
        if (committing) safely(() => this.commitFailedListener(this.describeError(error) ?? (error as Error)));
      } else {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError as Error));
      }
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  private async counter(kind: string): Promise<string> {
    const result = await this.pool.query<{ value: number }>({
      name: 'counter',
      text: 'SELECT COALESCE(sum(value), 0)::bigint AS value FROM agl_counters WHERE kind = $1',
      values: [kind],
    });
    return String(result.rows[0]?.value ?? 0);
  }

  /**
   * Another server finished rollouts: re-read them (one statement) and announce them as remote changes, so waits
   * registered here wake. Those that are no longer terminal (restarted since) wake nobody.
   */
  private onNotification(payload: string): void {
    const notice = decodeNotice(payload);
    if (!notice || notice.origin === this.origin || notice.terminal.length === 0) return;
    this.notices = this.notices.then(async () => {
      try {
        const records = await this.reader.listRolloutsByIds(notice.terminal);
        const changes = new Changes();
        for (const record of records) {
          if (!isTerminalRolloutStatus(record.rollout.status)) continue;
          changes.rollouts.set(record.rollout.rollout_id, record);
          changes.terminal.push(record.rollout);
        }
        if (!changes.empty) safely(() => this.changeListener(changes, false));
      } catch (error) {
        // The database went away between the notification and the read: say so, and have the store re-check its
        // waits a moment later (the session's reconnect does the same if the outage lasts).
        safely(() => this.outageListener(error instanceof Error ? error : new Error(String(error))));
        setTimeout(() => safely(() => this.outageListener(null)), 1000).unref();
      }
    });
  }
}

/** A retried transaction starts from nothing: what the failed try collected is dropped. */
function clearChanges(changes: ChangeSet): void {
  changes.rollouts.clear();
  changes.terminal.length = 0;
  changes.spans.clear();
  changes.workers.clear();
  changes.resources = false;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    console.error('agl-store: a change listener failed', error);
  }
}
