/**
 * What one batch of store operations changed, collected while they run and published once the batch is durable
 * (storage engines may commit many operations at once). Everything the server keeps in memory about the data —
 * ETag versions, the rollout list view, the watchdog's due times, waiters — is fed from here and nowhere else, so a
 * rolled-back batch cannot leave any of it ahead of the database.
 */
import type { Rollout } from '@agl/schemas';
import type { RolloutRecord } from '../storage/engine.js';

export class ChangeSet {
  /** The last written state of each rollout whose row or latest attempt changed. */
  readonly rollouts = new Map<string, RolloutRecord>();
  /** Rollouts as they were when they turned terminal, in that order (waiters receive these). */
  readonly terminal: Rollout[] = [];
  /** Rollouts that received new spans. */
  readonly spans = new Set<string>();
  /** Workers whose record changed. */
  readonly workers = new Set<string>();
  resources = false;

  get empty(): boolean {
    return (
      this.rollouts.size === 0 &&
      this.terminal.length === 0 &&
      this.spans.size === 0 &&
      this.workers.size === 0 &&
      !this.resources
    );
  }

  /** Adds `other` (a later operation's changes) to this set. */
  merge(other: ChangeSet): void {
    for (const [id, record] of other.rollouts) this.rollouts.set(id, record);
    this.terminal.push(...other.terminal);
    for (const id of other.spans) this.spans.add(id);
    for (const id of other.workers) this.workers.add(id);
    this.resources ||= other.resources;
  }
}
