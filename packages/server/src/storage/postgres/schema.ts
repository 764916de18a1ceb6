/**
 * The PostgreSQL schema, versioned like the SQLite one (append migrations, never edit an applied one). The version
 * lives in `agl_schema`; migrating runs under a session advisory lock, so servers started at the same moment on an
 * empty database take turns: the first creates the tables, the others find them current.
 *
 * Rows keep the wire JSON (`doc`, text: returned as stored, key order kept) beside the columns that indexes and the
 * v0.3 queries need. Sort columns hold exactly the values `storage/queries.ts` sorts by (see `postgres/columns.ts`),
 * so SQL ordering and the reference rules cannot drift apart.
 */
import type pg from 'pg';
import { StorageError } from '../errors.js';
import { LOCKS, type Where } from './errors.js';
/** Shards of each counter row in `agl_counters` (see `postgres/publish.ts`). */
export const COUNTER_SHARDS = 16;

export interface PgMigration {
  version: number;
  description: string;
  sql: string;
}

export const PG_MIGRATIONS: PgMigration[] = [
  {
    version: 1,
    description: 'rollouts, attempts, queue, resources, spans, span counters, workers, shared counters',
    sql: `
      CREATE TABLE rollouts (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        rollout_id text NOT NULL UNIQUE,
        status text NOT NULL,
        doc text NOT NULL,
        latest_seq integer,
        latest_doc text,
        due_at double precision,
        -- The transaction that last wrote the row: the rollout list view asks for rows changed since a snapshot.
        txid bigint NOT NULL,
        -- Sort columns of the v0.3 query (values as storage/queries.ts reads them).
        start_time double precision,
        end_time double precision,
        mode text,
        resources_id text,
        latest_attempt_id text,
        latest_worker_id text,
        latest_heartbeat double precision,
        duration double precision
      );
      CREATE INDEX rollouts_due ON rollouts (due_at) WHERE due_at IS NOT NULL;
      CREATE INDEX rollouts_txid ON rollouts (txid);
      CREATE INDEX rollouts_status ON rollouts (status, seq);
      CREATE INDEX rollouts_start_time ON rollouts (start_time, seq);
      CREATE INDEX rollouts_id_c ON rollouts (rollout_id COLLATE "C", seq);

      CREATE TABLE attempts (
        rollout_id text NOT NULL,
        sequence_id integer NOT NULL,
        attempt_id text NOT NULL,
        doc text NOT NULL,
        PRIMARY KEY (rollout_id, sequence_id)
      );
      CREATE INDEX attempts_by_id ON attempts (rollout_id, attempt_id);

      CREATE TABLE queue (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        rollout_id text NOT NULL UNIQUE
      );

      CREATE TABLE resources (
        resources_id text PRIMARY KEY,
        write_seq bigint NOT NULL,
        created_seq bigint NOT NULL,
        create_time double precision,
        update_time double precision,
        version double precision,
        doc text NOT NULL
      );
      CREATE SEQUENCE resources_seq;
      CREATE INDEX resources_by_write ON resources (write_seq);
      CREATE INDEX resources_by_creation ON resources (created_seq);

      -- Spans of one attempt are one index range: (rollout_id, attempt_id) leads the unique key.
      CREATE TABLE spans (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        rollout_id text NOT NULL,
        attempt_id text NOT NULL,
        span_id text NOT NULL,
        sequence_id double precision,
        trace_id text,
        parent_id text,
        name text,
        status_code text,
        start_time double precision,
        end_time double precision,
        doc text NOT NULL,
        PRIMARY KEY (rollout_id, attempt_id, span_id)
      );
      CREATE INDEX spans_by_rollout ON spans (rollout_id, seq);

      -- value: the last span sequence id handed out; version: moves whenever the rollout gets new spans (ETags).
      CREATE TABLE span_counters (
        rollout_id text PRIMARY KEY,
        value bigint NOT NULL DEFAULT 0,
        version bigint NOT NULL DEFAULT 0
      );

      CREATE TABLE workers (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        worker_id text NOT NULL UNIQUE,
        status text,
        last_heartbeat_time double precision,
        last_dequeue_time double precision,
        last_busy_time double precision,
        last_idle_time double precision,
        current_rollout_id text,
        current_attempt_id text,
        doc text NOT NULL
      );

      -- List versions and collection sizes as sharded counters: every write adds to one random shard, so writers
      -- rarely wait for each other's row lock, and a reader sums 16 rows.
      CREATE TABLE agl_counters (
        kind text NOT NULL,
        shard integer NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (kind, shard)
      );
    `,
  },
];

export const PG_LATEST_SCHEMA_VERSION = PG_MIGRATIONS.at(-1)!.version;

/**
 * Brings the database to the latest schema, or explains why it cannot be used: another application's tables, or a
 * schema newer than this server knows. Safe when several servers start at once (advisory lock).
 */
export async function migrate(client: pg.ClientBase, where: Where): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1, hashtext(current_schema()))', [LOCKS.migration]);
  try {
    const current = await schemaVersion(client, where);
    if (current > PG_LATEST_SCHEMA_VERSION) {
      throw startError(
        where,
        `it holds a newer agl-store schema (version ${current}; this server knows up to ${PG_LATEST_SCHEMA_VERSION}): ` +
          'upgrade agl-store or choose another database',
      );
    }
    for (const migration of PG_MIGRATIONS) {
      if (migration.version <= current) continue;
      await client.query('BEGIN');
      try {
        if (migration.version === 1) {
          await client.query('CREATE TABLE agl_schema (version integer NOT NULL)');
          await client.query('INSERT INTO agl_schema (version) VALUES (0)');
        }
        await client.query(migration.sql);
        await client.query('UPDATE agl_schema SET version = $1', [migration.version]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', [LOCKS.migration]).catch(() => {
      // The session ends right after on failure, which releases the lock anyway.
    });
  }
}

/** 0 for an empty database; refuses one that holds tables but no `agl_schema` (another application's). */
async function schemaVersion(client: pg.ClientBase, where: Where): Promise<number> {
  const tables = (
    await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() ORDER BY table_name`,
    )
  ).rows.map((row) => row.name);
  if (!tables.includes('agl_schema')) {
    if (tables.length === 0) return 0;
    throw startError(
      where,
      `it holds another application's tables (${tables.slice(0, 5).join(', ')}); ` +
        'agl-store needs a database (or schema) of its own: create one with `createdb`',
    );
  }
  const row = (await client.query<{ version: number }>('SELECT version FROM agl_schema')).rows[0];
  return row?.version ?? 0;
}

function startError(where: Where, cause: string): StorageError {
  return new StorageError(
    'AGL_DB_SCHEMA',
    `cannot use PostgreSQL database ${where.database} on ${where.host}: ${cause}`,
  );
}
