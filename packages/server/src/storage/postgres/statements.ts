/**
 * The PostgreSQL engine's fixed statements (schema: schema.ts). Each is sent as a named prepared statement, parsed
 * once per connection. `$txid` marks where the writing transaction's id goes (rollouts.txid, for the list view).
 */
const TXID = 'pg_current_xact_id()::text::bigint';
const ROLLOUT_COLUMNS = `rollout_id, status, doc, latest_seq, latest_doc, due_at, start_time, end_time, mode,
  resources_id, latest_attempt_id, latest_worker_id, latest_heartbeat, duration`;

export const SQL = {
  insertRollout: `INSERT INTO rollouts (${ROLLOUT_COLUMNS}, txid)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, ${TXID})`,
  saveRollout: `UPDATE rollouts SET status = $2, doc = $3, latest_seq = $4, latest_doc = $5, due_at = $6,
    start_time = $7, end_time = $8, mode = $9, resources_id = $10, latest_attempt_id = $11, latest_worker_id = $12,
    latest_heartbeat = $13, duration = $14, txid = ${TXID} WHERE rollout_id = $1`,
  getRollout: 'SELECT doc, latest_doc FROM rollouts WHERE rollout_id = $1',
  lockRollout: 'SELECT doc, latest_doc FROM rollouts WHERE rollout_id = $1 FOR UPDATE',
  listRollouts: 'SELECT doc, latest_doc FROM rollouts ORDER BY seq',
  listByIds: 'SELECT doc, latest_doc FROM rollouts WHERE rollout_id = ANY($1::text[]) ORDER BY seq',
  listDue: 'SELECT rollout_id FROM rollouts WHERE due_at < $1 ORDER BY due_at LIMIT $2',
  nextDue: 'SELECT min(due_at) AS due FROM rollouts',
  /**
   * Rollouts written by transactions that the snapshot `$1` did not see, and the current snapshot, in one statement
   * (so one snapshot). Only rows with `txid >= xmin($1)` can qualify: an index range of recent writes.
   */
  changedSince: `SELECT pg_current_snapshot()::text AS cursor, ARRAY(
      SELECT rollout_id FROM rollouts
       WHERE txid >= pg_snapshot_xmin($1::text::pg_snapshot)::text::bigint
         AND NOT pg_visible_in_snapshot(txid::text::xid8, $1::text::pg_snapshot)) AS ids`,
  snapshot: 'SELECT pg_current_snapshot()::text AS cursor',

  insertAttempt: 'INSERT INTO attempts (rollout_id, sequence_id, attempt_id, doc) VALUES ($1, $2, $3, $4)',
  saveAttempt: 'UPDATE attempts SET doc = $3 WHERE rollout_id = $1 AND sequence_id = $2',
  getAttempt: 'SELECT doc FROM attempts WHERE rollout_id = $1 AND attempt_id = $2',
  listAttempts: 'SELECT doc FROM attempts WHERE rollout_id = $1 ORDER BY sequence_id',

  enqueue: 'INSERT INTO queue (rollout_id) VALUES ($1) ON CONFLICT (rollout_id) DO NOTHING',
  queueRemove: 'DELETE FROM queue WHERE rollout_id = $1',
  /** The head entry that no other transaction holds: concurrent dequeuers on any server each take a different one. */
  queuePop: `DELETE FROM queue WHERE seq = (SELECT seq FROM queue ORDER BY seq FOR UPDATE SKIP LOCKED LIMIT 1)
    RETURNING rollout_id`,

  /** Takes the id's lock for the transaction: read-modify-write of a snapshot (or a worker) is serialised. */
  lockKey: 'SELECT pg_advisory_xact_lock($1, hashtext($2))',
  writeResources: `INSERT INTO resources (resources_id, write_seq, created_seq, create_time, update_time, version, doc)
    VALUES ($1, nextval('resources_seq'), currval('resources_seq'), $2, $3, $4, $5)
    ON CONFLICT (resources_id) DO UPDATE SET write_seq = excluded.write_seq, create_time = excluded.create_time,
      update_time = excluded.update_time, version = excluded.version, doc = excluded.doc
    RETURNING (xmax = 0) AS created`,
  getResources: 'SELECT doc FROM resources WHERE resources_id = $1',
  lockResources: 'SELECT doc FROM resources WHERE resources_id = $1 FOR UPDATE',
  latestResources: 'SELECT doc FROM resources ORDER BY write_seq DESC LIMIT 1',
  listResources: 'SELECT doc FROM resources ORDER BY write_seq DESC',

  insertSpan: `INSERT INTO spans (rollout_id, attempt_id, span_id, sequence_id, trace_id, parent_id, name, status_code,
      start_time, end_time, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
    ON CONFLICT (rollout_id, attempt_id, span_id) DO NOTHING RETURNING seq`,
  getSpan: 'SELECT doc FROM spans WHERE rollout_id = $1 AND attempt_id = $2 AND span_id = $3',
  listSpans: 'SELECT doc FROM spans WHERE rollout_id = $1 ORDER BY seq',
  listAttemptSpans: 'SELECT doc FROM spans WHERE rollout_id = $1 AND attempt_id = $2 ORDER BY seq',

  nextSpanSeq: `INSERT INTO span_counters (rollout_id, value) VALUES ($1, $2)
    ON CONFLICT (rollout_id) DO UPDATE SET value = span_counters.value + excluded.value RETURNING value`,
  raiseSpanSeq: `INSERT INTO span_counters (rollout_id, value) VALUES ($1, $2)
    ON CONFLICT (rollout_id) DO UPDATE SET value = GREATEST(span_counters.value, excluded.value)`,

  getWorker: 'SELECT doc FROM workers WHERE worker_id = $1',
  lockWorker: 'SELECT doc FROM workers WHERE worker_id = $1 FOR UPDATE',
  saveWorker: `INSERT INTO workers (worker_id, status, last_heartbeat_time, last_dequeue_time, last_busy_time,
      last_idle_time, current_rollout_id, current_attempt_id, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (worker_id) DO UPDATE SET status = excluded.status,
      last_heartbeat_time = excluded.last_heartbeat_time, last_dequeue_time = excluded.last_dequeue_time,
      last_busy_time = excluded.last_busy_time, last_idle_time = excluded.last_idle_time,
      current_rollout_id = excluded.current_rollout_id, current_attempt_id = excluded.current_attempt_id,
      doc = excluded.doc
    RETURNING (xmax = 0) AS created`,

  /** Sums of the sharded counters (versions and collection sizes). */
  counters: 'SELECT kind, sum(value)::bigint AS value FROM agl_counters WHERE kind = ANY($1::text[]) GROUP BY kind',
  spansVersion: 'SELECT version FROM span_counters WHERE rollout_id = $1',
} as const;

export type StatementName = keyof typeof SQL;
