/**
 * ETag versions of the list endpoints: opaque strings, equal while the list they stand for is unchanged, moved by
 * committed changes only. A cached list body is valid while its version is.
 *
 * On a database shared by several servers (PostgreSQL) this process does not see every change as it commits, so the
 * versions come from the database itself (`StoredVersions`, counters bumped by every write transaction) and are
 * read before each cached list is served: a list written through another server is never answered from a stale
 * cache, even before that server's notification arrives. Hence the methods are async for every engine.
 */
import type { StoredVersions } from '../storage/engine.js';
import type { ChangeSet } from './changes.js';

export class StoreVersions {
  /** Moves when a failed commit made everything derived in memory suspect: every cached list is rebuilt. */
  private epoch = 0;
  private rolloutCount = 0;
  private resourceCount = 0;
  private workerCount = 0;
  private readonly spanCounts = new Map<string, number>();

  constructor(private readonly stored?: StoredVersions) {}

  /** Rollouts, their attempts and latest attempts. */
  async rollouts(): Promise<string> {
    return `${this.epoch}:${this.stored ? await this.stored.rollouts() : this.rolloutCount}`;
  }

  async resources(): Promise<string> {
    return `${this.epoch}:${this.stored ? await this.stored.resources() : this.resourceCount}`;
  }

  /** Worker records (`/v1/agl` pages of workers). */
  async workers(): Promise<string> {
    return `${this.epoch}:${this.stored ? await this.stored.workers() : this.workerCount}`;
  }

  /** The spans of one rollout. */
  async spans(rolloutId: string): Promise<string> {
    return `${this.epoch}:${this.stored ? await this.stored.spans(rolloutId) : (this.spanCounts.get(rolloutId) ?? 0)}`;
  }

  apply(changes: ChangeSet): void {
    if (this.stored) return;
    if (changes.rollouts.size > 0) this.rolloutCount++;
    if (changes.resources) this.resourceCount++;
    if (changes.workers.size > 0) this.workerCount++;
    for (const id of changes.spans) this.spanCounts.set(id, (this.spanCounts.get(id) ?? 0) + 1);
  }

  invalidateAll(): void {
    this.epoch++;
  }
}
