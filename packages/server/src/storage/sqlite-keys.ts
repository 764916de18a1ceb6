/**
 * The sort-key columns of the rollouts table, kept up to date in batches.
 *
 * A rollout's sort keys (columns.ts) sit in 14 indexes, two per key. Written with every change, a rollout's way
 * through the runner loop — created, claimed, given a worker, four heartbeats, finished — rewrites index entries a
 * dozen times, each in its own commit, and every commit writes each touched index page to the WAL again: that
 * doubled the loop's storage cost. Instead a change that moves a sort key only flags the row (`keys_stale`, itself in
 * one small partial index), and the keys of every flagged row are written together: before any rollout query reads
 * them, and every REFRESH_MS otherwise. A new row enters the key indexes only then (they are partial on a written
 * key), and the trigram index of ids too, so a short-lived rollout costs one entry per index. The flag is stored, so keys left stale by a crash are
 * written by the first query after it; status and mode, which totals count, are written at once.
 */
import type Database from 'better-sqlite3';
import { rolloutColumns, type RolloutColumns } from './columns.js';
import type { RolloutRecord } from './engine.js';

/** How long a changed sort key may wait for a query before it is written anyway. */
export const REFRESH_MS = 200;

/** Written with every change. */
const IMMEDIATE = { status: 'status', dueAt: 'due_at', mode: 'mode' } as const;
/** Written in batches (status too: the key indexes carry it as `indexed_status`). */
const SORT_KEYS = {
  status: 'indexed_status',
  resourcesId: 'resources_id',
  startTime: 'start_time',
  endTime: 'end_time',
  attemptId: 'attempt_id',
  workerId: 'worker_id',
  lastHeartbeatTime: 'last_heartbeat_time',
  duration: 'duration',
} as const;
type SortKeyField = keyof typeof SORT_KEYS;
const FIELDS = Object.keys(SORT_KEYS) as SortKeyField[];

type StaleRow = { seq: number; rollout_id: string; start_time: number | null } & Record<
  (typeof SORT_KEYS)[SortKeyField],
  string | number | null
>;

export class RolloutKeys {
  /** True while a row may be flagged (at open: a crash may have left some). */
  private flagged = true;
  /** Rows flagged since the last refresh, so a row's next changes need not set the flag again (emptied on rollback). */
  private readonly flaggedIds = new Set<string>();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly stale: Database.Statement;
  private readonly indexId: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.stale = db.prepare(
      `SELECT seq, rollout_id, ${Object.values(SORT_KEYS).join(', ')} FROM rollouts INDEXED BY rollouts_stale
       WHERE keys_stale = 1`,
    );
    this.indexId = db.prepare('INSERT INTO rollout_ids (rowid, rollout_id) VALUES (?, ?)');
  }

  get pending(): boolean {
    return this.flagged;
  }

  /** A new row: inserted flagged, with no sort keys yet. */
  inserted(rolloutId: string): void {
    this.flagged = true;
    this.flaggedIds.add(rolloutId);
  }

  /**
   * The UPDATE saving a rollout stored as `previous` (null: not known here) with the columns `next`: the changed
   * immediate columns, and the flag when a sort key moved.
   */
  save(rolloutId: string, previous: RolloutColumns | null, next: RolloutColumns): Database.Statement {
    const set = ['doc = @doc', 'latest_doc = @latestDoc', 'latest_seq = @latestSeq'];
    for (const [field, column] of Object.entries(IMMEDIATE) as Array<[keyof typeof IMMEDIATE, string]>) {
      if (previous === null || !Object.is(previous[field], next[field])) set.push(`${column} = @${field}`);
    }
    const moved = previous === null || FIELDS.some((field) => !Object.is(previous[field], next[field]));
    if (moved && !this.flaggedIds.has(rolloutId)) {
      set.push('keys_stale = 1');
      this.flagged = true;
      this.flaggedIds.add(rolloutId);
    }
    return this.statement(`UPDATE rollouts SET ${set.join(', ')} WHERE rollout_id = @id`);
  }

  /** Writes the sort keys of every flagged row (inside the caller's transaction), naming only those that moved. */
  refresh(read: (rolloutId: string) => RolloutRecord | null): void {
    for (const row of this.stale.all() as StaleRow[]) {
      const record = read(row.rollout_id);
      if (!record) continue;
      const columns = rolloutColumns(record);
      if (row.start_time === null) this.indexId.run(row.seq, row.rollout_id); // keys never written: a new row
      const moved = FIELDS.filter((field) => !Object.is(row[SORT_KEYS[field]], columns[field]));
      const set = [...moved.map((field) => `${SORT_KEYS[field]} = @${field}`), 'keys_stale = 0'];
      this.statement(`UPDATE rollouts SET ${set.join(', ')} WHERE rollout_id = @id`).run({
        ...columns,
        id: row.rollout_id,
      });
    }
    this.flagged = false;
    this.flaggedIds.clear();
  }

  /** After a rollback: what it undid may have been a refresh. */
  forget(): void {
    this.flagged = true;
    this.flaggedIds.clear();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
