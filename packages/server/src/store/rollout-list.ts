/**
 * The `GET /rollouts` body, maintained incrementally. The dashboard polls the whole list (100k rollouts is ~50 MB
 * of JSON) while runners keep changing a few hundred rows; rebuilding it from storage on every poll would stall
 * the event loop for hundreds of milliseconds. Rows are kept as JSON in creation order and grouped in chunks;
 * a write marks its rollout dirty, and a read re-reads only dirty rows and re-joins only their chunks. The ETag
 * hashes the chunk hashes, so equal bodies get equal tags.
 */
import { createHash, hash } from 'node:crypto';
import type { StorageReader } from '../storage/engine.js';

type Read = <T>(fn: (reader: StorageReader) => Promise<T>) => Promise<T>;

const CHUNK_ROWS = 1000;

type Body = { body: string; etag: string };

interface Chunk {
  json: string;
  digest: Buffer;
}

export class RolloutListView {
  /** Null until the first read: a store nobody looks at pays nothing. */
  private rows: string[] | null = null;
  private readonly position = new Map<string, number>();
  private chunks: Array<Chunk | null> = [];
  private dirty = new Set<string>();
  /**
   * Shared databases: where the last refresh stood (`StorageReader.rolloutsChangedSince`). Other servers' writes
   * are found from the database at each read, not from notifications that may still be on their way.
   */
  private cursor: string | null = null;

  /** The read in progress. */
  private reading: Promise<Body> | null = null;
  /**
   * The read after it, shared by every caller that arrived meanwhile. They do not join the read in progress: it
   * may have started before a write they saw acknowledged (their ETag version is already newer), and its body would
   * then be cached under that version.
   */
  private queued: Promise<Body> | null = null;

  constructor(private readonly read: Read) {}

  /** Forgets everything; the next read rebuilds from storage (after a rolled-back commit). */
  reset(): void {
    this.rows = null;
    this.position.clear();
    this.chunks = [];
    this.dirty.clear();
    this.cursor = null;
  }

  /** Called for every write that changes a rollout or its latest attempt. */
  markDirty(rolloutId: string): void {
    if (this.rows) this.dirty.add(rolloutId);
  }

  /** The current body and its ETag; only what changed since the last call is read from storage. */
  body(): Promise<Body> {
    if (!this.reading) return this.start();
    this.queued ??= this.reading
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.start();
      });
    return this.queued;
  }

  private start(): Promise<Body> {
    const reading: Promise<Body> = this.read((reader) => this.refresh(reader)).finally(() => {
      if (this.reading === reading) this.reading = null;
    });
    this.reading = reading;
    return reading;
  }

  private async refresh(reader: StorageReader): Promise<Body> {
    if (!this.rows) {
      // The cursor first: whatever is written from here on is re-read by the next refresh, even if this read saw it.
      if (reader.rolloutsChangedSince) this.cursor = (await reader.rolloutsChangedSince(null)).cursor;
      this.rows = [];
      for (const [rolloutJson, attemptJson] of await reader.listRolloutsJson()) {
        this.put(rolloutIdOf(rolloutJson), joinRow(rolloutJson, attemptJson));
      }
      this.dirty.clear();
    } else if (reader.rolloutsChangedSince) {
      const changed = await reader.rolloutsChangedSince(this.cursor);
      this.cursor = changed.cursor;
      for (const id of changed.ids) this.dirty.add(id);
    }
    const dirty = [...this.dirty];
    this.dirty.clear();
    // Over a network one statement for all changed rows beats one per row; in-process engines read rows cheaply.
    const records = reader.rolloutsChangedSince
      ? await reader.listRolloutsByIds(dirty)
      : await Promise.all(dirty.map((id) => reader.getRollout(id)));
    for (const record of records) {
      if (!record) continue;
      const json = joinRow(JSON.stringify(record.rollout), record.latest ? JSON.stringify(record.latest) : null);
      this.put(record.rollout.rollout_id, json);
    }
    const parts: string[] = [];
    const digests: Buffer[] = [];
    for (let i = 0; i * CHUNK_ROWS < this.rows.length; i++) {
      let chunk = this.chunks[i];
      if (!chunk) {
        const json = this.rows.slice(i * CHUNK_ROWS, (i + 1) * CHUNK_ROWS).join(',');
        chunk = this.chunks[i] = { json, digest: hash('sha1', json, 'buffer') };
      }
      parts.push(chunk.json);
      digests.push(chunk.digest);
    }
    const etag = `W/"${createHash('sha1').update(Buffer.concat(digests)).digest('base64url')}"`;
    return { body: `[${parts.join(',')}]`, etag };
  }

  private put(id: string, json: string): void {
    const rows = this.rows!;
    let index = this.position.get(id);
    if (index === undefined) {
      index = rows.length;
      this.position.set(id, index);
      rows.push(json);
    } else {
      rows[index] = json;
    }
    this.chunks[Math.floor(index / CHUNK_ROWS)] = null;
  }
}

/** Splices `"attempt":{…}` into a stored rollout object, which never has an attempt key of its own. */
export function joinRow(rolloutJson: string, attemptJson: string | null): string {
  return attemptJson === null ? rolloutJson : `${rolloutJson.slice(0, -1)},"attempt":${attemptJson}}`;
}

/** Stored rollouts are serialised by this server, so `rollout_id` is always the first key. */
function rolloutIdOf(rolloutJson: string): string {
  const start = '{"rollout_id":"'.length;
  return rolloutJson.slice(start, rolloutJson.indexOf('"', start));
}
