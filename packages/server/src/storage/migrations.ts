/**
 * Versioned SQLite schema. `PRAGMA user_version` records the last applied migration; each migration runs once,
 * in order, inside a transaction. Append new migrations — never edit an applied one.
 *
 * Rows keep the wire JSON (`doc`) beside the few columns that queries need: reads return the stored text as is,
 * so the 100k-rollout list is string concatenation, not object building.
 */
import type Database from 'better-sqlite3';
import type { Attempt, Rollout } from '@agl/schemas';
import { watchdogDueTime } from '../store/rules.js';
import { rolloutColumns } from './columns.js';

export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** Fills new columns from existing rows, in the same transaction as `sql`. */
  backfill?: (db: Database.Database) => void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'rollouts, attempts, queue, resources, spans, span counters',
    sql: `
      CREATE TABLE rollouts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        rollout_id TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        doc TEXT NOT NULL,
        latest_seq INTEGER,
        latest_doc TEXT
      );
      CREATE INDEX rollouts_active ON rollouts(status) WHERE status IN ('preparing', 'running');
      CREATE TABLE attempts (
        rollout_id TEXT NOT NULL,
        sequence_id INTEGER NOT NULL,
        attempt_id TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (rollout_id, sequence_id)
      ) WITHOUT ROWID;
      CREATE INDEX attempts_by_id ON attempts(rollout_id, attempt_id);
      CREATE TABLE queue (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        rollout_id TEXT NOT NULL UNIQUE
      );
      CREATE TABLE resources (
        resources_id TEXT PRIMARY KEY,
        write_seq INTEGER NOT NULL,
        doc TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX resources_by_write ON resources(write_seq);
      CREATE TABLE spans (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        rollout_id TEXT NOT NULL,
        attempt_id TEXT NOT NULL,
        span_id TEXT NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE UNIQUE INDEX spans_by_key ON spans(rollout_id, attempt_id, span_id);
      CREATE INDEX spans_by_rollout ON spans(rollout_id, seq);
      CREATE TABLE span_counters (
        rollout_id TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: 'meta: which server process holds the store (named when a second one is refused)',
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    description: 'due_at: when the watchdog next has to look at an active rollout (indexed, so a scan is a lookup)',
    sql: `
      ALTER TABLE rollouts ADD COLUMN due_at REAL;
      CREATE INDEX rollouts_due ON rollouts(due_at) WHERE due_at IS NOT NULL;
    `,
    backfill: (db) => {
      const active = db
        .prepare("SELECT rollout_id, doc, latest_doc FROM rollouts WHERE status IN ('preparing', 'running')")
        .all() as Array<{ rollout_id: string; doc: string; latest_doc: string | null }>;
      const update = db.prepare('UPDATE rollouts SET due_at = ? WHERE rollout_id = ?');
      for (const row of active) {
        if (!row.latest_doc) continue;
        const latest = JSON.parse(row.latest_doc) as Attempt;
        update.run(watchdogDueTime(JSON.parse(row.doc) as Rollout, latest), row.rollout_id);
      }
    },
  },
  {
    version: 4,
    description: 'workers (v0.3), and the creation order of resources (v0.3 lists them so)',
    sql: `
      CREATE TABLE workers (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        worker_id TEXT NOT NULL UNIQUE,
        doc TEXT NOT NULL
      );
      ALTER TABLE resources ADD COLUMN created_seq INTEGER;
      UPDATE resources SET created_seq = write_seq;
    `,
  },
  {
    version: 5,
    description: 'the v0.3 sort and filter keys of a rollout and its latest attempt, as columns (columns.ts)',
    sql: `
      ALTER TABLE rollouts ADD COLUMN mode TEXT NOT NULL DEFAULT '';
      -- Sort keys: null until first written, refreshed lazily (sqlite-keys.ts) while keys_stale is 1.
      ALTER TABLE rollouts ADD COLUMN indexed_status TEXT; -- status as the key indexes know it
      ALTER TABLE rollouts ADD COLUMN resources_id TEXT;
      ALTER TABLE rollouts ADD COLUMN start_time REAL;
      ALTER TABLE rollouts ADD COLUMN end_time REAL;
      ALTER TABLE rollouts ADD COLUMN attempt_id TEXT;
      ALTER TABLE rollouts ADD COLUMN worker_id TEXT;
      ALTER TABLE rollouts ADD COLUMN last_heartbeat_time REAL;
      ALTER TABLE rollouts ADD COLUMN duration REAL;
      ALTER TABLE rollouts ADD COLUMN keys_stale INTEGER NOT NULL DEFAULT 0;
    `,
    backfill: (db) => {
      const update = db.prepare(`UPDATE rollouts SET mode = @mode, indexed_status = @status,
        resources_id = @resourcesId, start_time = @startTime,
        end_time = @endTime, attempt_id = @attemptId, worker_id = @workerId, last_heartbeat_time = @lastHeartbeatTime,
        duration = @duration WHERE seq = @seq`);
      // In batches by seq: better-sqlite3 runs no other statement while one iterates, and a store may be large.
      const batch = db.prepare('SELECT seq, doc, latest_doc FROM rollouts WHERE seq > ? ORDER BY seq LIMIT 5000');
      for (let after = 0; ;) {
        const rows = batch.all(after) as Array<{ seq: number; doc: string; latest_doc: string | null }>;
        if (rows.length === 0) break;
        for (const row of rows) {
          const latest = row.latest_doc ? (JSON.parse(row.latest_doc) as Attempt) : null;
          // Fields the statement does not name (status, due time) are not bound.
          update.run({ ...rolloutColumns({ rollout: JSON.parse(row.doc) as Rollout, latest }), seq: row.seq });
        }
        after = rows.at(-1)!.seq;
      }
    },
  },
  {
    version: 6,
    description: 'v0.3 query indexes: counts per (status, mode), rollout ids by trigram, each sort key both ways',
    sql: `
      -- Totals of status/mode filters add up these cells instead of counting index entries.
      CREATE TABLE rollout_counts (
        status TEXT NOT NULL,
        mode TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (status, mode)
      ) WITHOUT ROWID;
      INSERT INTO rollout_counts (status, mode, n) SELECT status, mode, COUNT(*) FROM rollouts GROUP BY status, mode;
      CREATE TRIGGER rollout_counts_insert AFTER INSERT ON rollouts BEGIN
        INSERT INTO rollout_counts (status, mode, n) VALUES (new.status, new.mode, 1)
          ON CONFLICT (status, mode) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER rollout_counts_update AFTER UPDATE OF status, mode ON rollouts
        WHEN old.status IS NOT new.status OR old.mode IS NOT new.mode BEGIN
        UPDATE rollout_counts SET n = n - 1 WHERE status = old.status AND mode = old.mode;
        INSERT INTO rollout_counts (status, mode, n) VALUES (new.status, new.mode, 1)
          ON CONFLICT (status, mode) DO UPDATE SET n = n + 1;
      END;

      -- rollout_id_contains: candidates from a trigram index (needles of 3+ characters); the query re-checks them.
      -- A new rollout enters it with its first sort keys (sqlite-keys.ts).
      CREATE VIRTUAL TABLE rollout_ids USING fts5(rollout_id, content='', tokenize='trigram case_sensitive 1');
      INSERT INTO rollout_ids (rowid, rollout_id) SELECT seq, rollout_id FROM rollouts;

      -- Ties keep insertion order in both directions, so a descending sort is (key DESC, seq ASC): not the reverse
      -- of (key, seq), hence two indexes per key. Each also serves its exact reverse (a deep page read from the end).
      -- They carry mode and status so filters are checked in the index, never in the (large) row. Their columns are
      -- written in batches (sqlite-keys.ts: status changes three or four times on a rollout's way, and each change
      -- would otherwise rewrite an entry in every index); indexed_status is status as of the last batch.
      -- They hold a rollout once its keys were first written (partial). status and mode are sort keys with few
      -- values, read group by group; rollout_id is unique, read from one index in both directions.
      CREATE INDEX rollouts_stale ON rollouts (seq) WHERE keys_stale = 1;
      CREATE INDEX rollouts_by_seq ON rollouts (seq, mode, indexed_status);
      CREATE INDEX rollouts_by_status ON rollouts (status, seq, mode);
      CREATE INDEX rollouts_by_mode ON rollouts (mode, seq, indexed_status);
      CREATE INDEX rollouts_by_id ON rollouts (rollout_id, mode, indexed_status) WHERE indexed_status IS NOT NULL;
      CREATE INDEX rollouts_start_asc ON rollouts (start_time, seq, mode, indexed_status)
        WHERE start_time IS NOT NULL;
      CREATE INDEX rollouts_start_desc ON rollouts (start_time DESC, seq, mode, indexed_status)
        WHERE start_time IS NOT NULL;
      CREATE INDEX rollouts_end_asc ON rollouts (end_time, seq, mode, indexed_status)
        WHERE end_time IS NOT NULL;
      CREATE INDEX rollouts_end_desc ON rollouts (end_time DESC, seq, mode, indexed_status)
        WHERE end_time IS NOT NULL;
      CREATE INDEX rollouts_resources_asc ON rollouts (resources_id, seq, mode, indexed_status)
        WHERE resources_id IS NOT NULL;
      CREATE INDEX rollouts_resources_desc ON rollouts (resources_id DESC, seq, mode, indexed_status)
        WHERE resources_id IS NOT NULL;
      CREATE INDEX rollouts_attempt_asc ON rollouts (attempt_id, seq, mode, indexed_status)
        WHERE attempt_id IS NOT NULL;
      CREATE INDEX rollouts_attempt_desc ON rollouts (attempt_id DESC, seq, mode, indexed_status)
        WHERE attempt_id IS NOT NULL;
      CREATE INDEX rollouts_worker_asc ON rollouts (worker_id, seq, mode, indexed_status)
        WHERE worker_id IS NOT NULL;
      CREATE INDEX rollouts_worker_desc ON rollouts (worker_id DESC, seq, mode, indexed_status)
        WHERE worker_id IS NOT NULL;
      CREATE INDEX rollouts_heartbeat_asc ON rollouts (last_heartbeat_time, seq, mode, indexed_status)
        WHERE last_heartbeat_time IS NOT NULL;
      CREATE INDEX rollouts_heartbeat_desc ON rollouts (last_heartbeat_time DESC, seq, mode, indexed_status)
        WHERE last_heartbeat_time IS NOT NULL;
      CREATE INDEX rollouts_duration_asc ON rollouts (duration, seq, mode, indexed_status)
        WHERE duration IS NOT NULL;
      CREATE INDEX rollouts_duration_desc ON rollouts (duration DESC, seq, mode, indexed_status)
        WHERE duration IS NOT NULL;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;
