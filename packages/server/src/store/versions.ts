/**
 * ETag versions of the list endpoints: opaque strings, equal while the list they stand for is unchanged, moved by
 * committed changes only. A cached list body is valid while its version is.
 */
import type { ChangeSet } from './changes.js';

export class StoreVersions {
  /** Moves when a failed commit made everything derived in memory suspect: every cached list is rebuilt. */
  private epoch = 0;
  private rolloutCount = 0;
  private resourceCount = 0;
  private workerCount = 0;
  private readonly spanCounts = new Map<string, number>();

  /** Rollouts, their attempts and latest attempts. */
  rollouts(): string {
    return `${this.epoch}:${this.rolloutCount}`;
  }

  resources(): string {
    return `${this.epoch}:${this.resourceCount}`;
  }

  /** Worker records (`/v1/agl` pages of workers). */
  workers(): string {
    return `${this.epoch}:${this.workerCount}`;
  }

  /** The spans of one rollout. */
  spans(rolloutId: string): string {
    return `${this.epoch}:${this.spanCounts.get(rolloutId) ?? 0}`;
  }

  apply(changes: ChangeSet): void {
    if (changes.rollouts.size > 0) this.rolloutCount++;
    if (changes.resources) this.resourceCount++;
    if (changes.workers.size > 0) this.workerCount++;
    for (const id of changes.spans) this.spanCounts.set(id, (this.spanCounts.get(id) ?? 0) + 1);
  }

  invalidateAll(): void {
    this.epoch++;
  }
}
