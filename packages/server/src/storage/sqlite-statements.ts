/** The SQLite engine's statements, in one place (schema: migrations.ts). */
import type Database from 'better-sqlite3';

const SQL = {
  insertRollout: `INSERT INTO rollouts (rollout_id, status, doc, latest_seq, latest_doc, due_at, mode, keys_stale)
       VALUES (@id, @status, @doc, @latestSeq, @latestDoc, @dueAt, @mode, 1)`,
  pageRollouts: 'SELECT seq, doc, latest_doc FROM rollouts WHERE seq IN (SELECT value FROM json_each(?))',
  getRollout: 'SELECT doc, latest_doc FROM rollouts WHERE rollout_id = ?',
  listRollouts: 'SELECT doc, latest_doc FROM rollouts ORDER BY seq',
  listRolloutsRaw: 'SELECT doc, latest_doc FROM rollouts ORDER BY seq',
  listByIds: 'SELECT doc, latest_doc FROM rollouts WHERE rollout_id IN (SELECT value FROM json_each(?)) ORDER BY seq',
  listDue: 'SELECT rollout_id FROM rollouts WHERE due_at < ? ORDER BY due_at LIMIT ?',
  nextDue: 'SELECT MIN(due_at) FROM rollouts WHERE due_at IS NOT NULL',
  insertAttempt: 'INSERT INTO attempts (rollout_id, sequence_id, attempt_id, doc) VALUES (?, ?, ?, ?)',
  saveAttempt: 'UPDATE attempts SET doc = ? WHERE rollout_id = ? AND sequence_id = ?',
  getAttempt: 'SELECT doc FROM attempts WHERE rollout_id = ? AND attempt_id = ?',
  listAttempts: 'SELECT doc FROM attempts WHERE rollout_id = ? ORDER BY sequence_id',
  enqueue: 'INSERT OR IGNORE INTO queue (rollout_id) VALUES (?)',
  queueRemove: 'DELETE FROM queue WHERE rollout_id = ?',
  queuePop: 'DELETE FROM queue WHERE seq = (SELECT MIN(seq) FROM queue) RETURNING rollout_id',
  writeResources: `INSERT INTO resources (resources_id, write_seq, created_seq, doc)
       VALUES (@id, (SELECT COALESCE(MAX(write_seq), 0) + 1 FROM resources),
               (SELECT COALESCE(MAX(created_seq), 0) + 1 FROM resources), @doc)
       ON CONFLICT(resources_id) DO UPDATE SET write_seq = excluded.write_seq, doc = excluded.doc`,
  listResourcesCreated: 'SELECT doc FROM resources ORDER BY created_seq',
  getWorker: 'SELECT doc FROM workers WHERE worker_id = ?',
  listWorkers: 'SELECT doc FROM workers ORDER BY seq',
  saveWorker: `INSERT INTO workers (worker_id, doc) VALUES (?, ?)
       ON CONFLICT(worker_id) DO UPDATE SET doc = excluded.doc`,
  countRollouts: 'SELECT COUNT(*) FROM rollouts',
  countAttempts: 'SELECT COUNT(*) FROM attempts',
  countSpans: 'SELECT COUNT(*) FROM spans',
  countResources: 'SELECT COUNT(*) FROM resources',
  countWorkers: 'SELECT COUNT(*) FROM workers',
  getResources: 'SELECT doc FROM resources WHERE resources_id = ?',
  latestResources: 'SELECT doc FROM resources ORDER BY write_seq DESC LIMIT 1',
  listResources: 'SELECT doc FROM resources ORDER BY write_seq DESC',
  insertSpan: 'INSERT OR IGNORE INTO spans (rollout_id, attempt_id, span_id, doc) VALUES (?, ?, ?, ?)',
  getSpan: 'SELECT doc FROM spans WHERE rollout_id = ? AND attempt_id = ? AND span_id = ?',
  listSpans: 'SELECT doc FROM spans WHERE rollout_id = ? ORDER BY seq',
  listAttemptSpans: 'SELECT doc FROM spans WHERE rollout_id = ? AND attempt_id = ? ORDER BY seq',
  getCounter: 'SELECT value FROM span_counters WHERE rollout_id = ?',
  setCounter:
    'INSERT INTO span_counters (rollout_id, value) VALUES (?, ?) ON CONFLICT(rollout_id) DO UPDATE SET value = excluded.value',
  begin: 'BEGIN',
  commit: 'COMMIT',
  savepoint: 'SAVEPOINT op',
  release: 'RELEASE op',
  rollbackTo: 'ROLLBACK TO op',
  keysSavepoint: 'SAVEPOINT keys',
  keysRelease: 'RELEASE keys',
  keysRollbackTo: 'ROLLBACK TO keys',
} as const;

/** Statements that return the first column's value instead of a row object. */
const PLUCKED = new Set<keyof typeof SQL>([
  'listResourcesCreated',
  'getWorker',
  'listWorkers',
  'countRollouts',
  'countAttempts',
  'countSpans',
  'countResources',
  'countWorkers',

  'listDue',
  'nextDue',
  'getAttempt',
  'listAttempts',
  'queuePop',
  'getResources',
  'latestResources',
  'listResources',
  'getSpan',
  'listSpans',
  'listAttemptSpans',
  'getCounter',
]);
/** Statements that return rows as arrays (the list-as-JSON read: no object per row). */
const RAW = new Set<keyof typeof SQL>(['listRolloutsRaw']);

export type Statements = { -readonly [K in keyof typeof SQL]: Database.Statement };

export function prepareStatements(db: Database.Database): Statements {
  const prepared: Partial<Statements> = {};
  for (const [name, sql] of Object.entries(SQL) as Array<[keyof typeof SQL, string]>) {
    let statement = db.prepare(sql);
    if (PLUCKED.has(name)) statement = statement.pluck();
    if (RAW.has(name)) statement = statement.raw(true);
    prepared[name] = statement;
  }
  return prepared as Statements;
}
