/**
 * The `GET /rollouts` body, maintained incrementally. The dashboard polls the whole list (100k rollouts is ~60 MB
 * of JSON) while runners keep changing a few hundred rows; rebuilding it from storage on every poll would stall
 * the event loop for hundreds of milliseconds. Instead each row's JSON and hash are kept, only rows written since
 * the last read are re-read, and the list's ETag is a hash of the row hashes (equal bodies, equal tags).
 */
import { createHash } from 'node:crypto';
import type { StorageEngine } from '../storage/engine.js';

interface Row {
  json: string;
  hash: Buffer;
}

export class RolloutListView {
  /** Rows in creation order; null until the first read (no cost for stores nobody looks at). */
  private rows: Map<string, Row> | null = null;
  private dirty = new Set<string>();

  constructor(private readonly engine: StorageEngine) {}

  /** Called for every write that changes a rollout or its latest attempt. */
  markDirty(rolloutId: string): void {
    if (this.rows) this.dirty.add(rolloutId);
  }

  read(): { body: string; etag: string } {
    if (!this.rows) {
      this.rows = new Map();
      for (const [rolloutJson, attemptJson] of this.engine.listRolloutsJson()) {
        const json = joinRow(rolloutJson, attemptJson);
        this.rows.set(JSON.parse(rolloutJson.slice(0, rolloutJson.indexOf(',')) + '}').rollout_id, row(json));
      }
      this.dirty.clear();
    }
    for (const id of this.dirty) {
      const record = this.engine.getRollout(id);
      if (!record) continue;
      const json = joinRow(JSON.stringify(record.rollout), record.latest ? JSON.stringify(record.latest) : null);
      this.rows.set(id, row(json));
    }
    this.dirty.clear();
    const digest = createHash('sha1');
    const parts: string[] = [];
    for (const { json, hash } of this.rows.values()) {
      parts.push(json);
      digest.update(hash);
    }
    return { body: `[${parts.join(',')}]`, etag: `W/"${digest.digest('base64url')}"` };
  }
}

/** Splices `"attempt":{…}` into a stored rollout object, which never has an attempt key of its own. */
export function joinRow(rolloutJson: string, attemptJson: string | null): string {
  return attemptJson === null ? rolloutJson : `${rolloutJson.slice(0, -1)},"attempt":${attemptJson}}`;
}

function row(json: string): Row {
  return { json, hash: createHash('sha1').update(json).digest() };
}
