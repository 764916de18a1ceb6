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
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;
