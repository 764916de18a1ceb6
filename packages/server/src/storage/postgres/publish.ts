/**
 * What a write transaction publishes with its commit, in one statement sent with the COMMIT (atomic with its data):
 *
 * - list versions (ETags) and collection sizes: added to one random shard of `agl_counters` each — readers sum the
 *   shards, so a version read from the database moves with every committed change, whichever server made it;
 * - the span version of each rollout that got spans (`span_counters.version`);
 * - a notification naming the rollouts that became terminal, for waits on the other servers.
 *
 * Only terminal rollouts are notified: everything else another server keeps in memory is either read from the
 * database when needed (versions, the list view's changed rows) or refreshed by the watchdog's own timer. A
 * transaction that notifies holds PostgreSQL's notification lock through its commit, which serialises such commits
 * database-wide; notifying once per finished rollout, not once per write, keeps that off the hot path.
 */
import { createHash, randomInt } from 'node:crypto';
import type { ChangeSet } from '../../store/changes.js';
import type { Added } from './data.js';
import { COUNTER_SHARDS } from './schema.js';

/** The notification channel of the store in `schema` (stores in other schemas of the database do not hear it). */
export function channelOf(schema: string): string {
  return `agl_changes_${createHash('sha1').update(schema).digest('hex').slice(0, 16)}`;
}
/** NOTIFY payloads must stay under 8000 bytes; ids are split over several notifications beyond this. */
const MAX_PAYLOAD_BYTES = 7000;

/**
 * The publish statement followed by COMMIT, as one simple-protocol query: one round trip instead of two on every
 * write. Values are inlined as escaped literals (the simple protocol has no parameters); should the publish
 * statement fail, PostgreSQL skips the COMMIT and the caller rolls back.
 */
export function publishAndCommitSql(publish: Publish, quote: (text: string) => string): string {
  const texts = (items: string[]) => `ARRAY[${items.map(quote).join(',')}]::text[]`;
  return `WITH counters AS (
    INSERT INTO agl_counters (kind, shard, value)
    SELECT kind, ${publish.shard}, delta
      FROM unnest(${texts(publish.kinds)}, ARRAY[${publish.deltas.join(',')}]::bigint[]) AS t(kind, delta)
    ON CONFLICT (kind, shard) DO UPDATE SET value = agl_counters.value + excluded.value
  ), span_versions AS (
    INSERT INTO span_counters (rollout_id, version) SELECT unnest(${texts(publish.spans)}), 1
    ON CONFLICT (rollout_id) DO UPDATE SET version = span_counters.version + 1
  )
  SELECT pg_notify(${quote(publish.channel)}, payload) FROM unnest(${texts(publish.notices)}) AS payload;
  COMMIT`;
}

export interface Publish {
  shard: number;
  kinds: string[];
  deltas: number[];
  /** Rollouts whose span version moves. */
  spans: string[];
  notices: string[];
  channel: string;
}

/** A notification: the sending server, and rollouts that became terminal. */
export interface Notice {
  origin: string;
  terminal: string[];
}

/** What to publish, or null when the transaction changed nothing worth publishing. */
export function publishOf(channel: string, origin: string, changes: ChangeSet, added: Added): Publish | null {
  // Kinds in a fixed order: two transactions on the same shard lock its rows in the same order (no deadlock).
  const deltas: Array<[string, number]> = [
    ['count:attempts', added.attempts],
    ['count:resources', added.resources],
    ['count:rollouts', added.rollouts],
    ['count:spans', added.spans],
    ['count:workers', added.workers],
    ['version:resources', changes.resources ? 1 : 0],
    ['version:rollouts', changes.rollouts.size > 0 ? 1 : 0],
    ['version:workers', changes.workers.size > 0 ? 1 : 0],
  ].filter((entry): entry is [string, number] => (entry[1] as number) > 0);
  const spans = [...changes.spans].sort();
  const terminal = [...new Set(changes.terminal.map((rollout) => rollout.rollout_id))];
  if (deltas.length === 0 && spans.length === 0 && terminal.length === 0) return null;
  return {
    shard: randomInt(COUNTER_SHARDS),
    kinds: deltas.map(([kind]) => kind),
    deltas: deltas.map(([, delta]) => delta),
    spans,
    notices: encodeNotices(origin, terminal),
    channel,
  };
}

/** Splits the ids over as many payloads as needed (none when there is nothing to say). */
export function encodeNotices(origin: string, terminal: string[]): string[] {
  const payloads: string[] = [];
  let batch: string[] = [];
  let bytes = 0;
  for (const id of terminal) {
    const size = Buffer.byteLength(JSON.stringify(id)) + 1;
    if (batch.length > 0 && bytes + size > MAX_PAYLOAD_BYTES) {
      payloads.push(JSON.stringify({ origin, terminal: batch } satisfies Notice));
      batch = [];
      bytes = 0;
    }
    batch.push(id);
    bytes += size;
  }
  if (batch.length > 0) payloads.push(JSON.stringify({ origin, terminal: batch } satisfies Notice));
  return payloads;
}

export function decodeNotice(payload: string): Notice | null {
  try {
    const notice = JSON.parse(payload) as Partial<Notice>;
    if (typeof notice.origin !== 'string' || !Array.isArray(notice.terminal)) return null;
    return { origin: notice.origin, terminal: notice.terminal.filter((id) => typeof id === 'string') };
  } catch {
    return null;
  }
}
