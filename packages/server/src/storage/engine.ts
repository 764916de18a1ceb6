/**
 * The storage contract. Engines only store and fetch; every lifecycle rule lives in `store/`. Engines are
 * synchronous (SQLite through better-sqlite3, or memory), so one store operation runs inside one `transaction`
 * without interleaving: that is what makes dequeue exactly-once and sequence allocation gap-free (§5.11).
 * A later PostgreSQL engine implements the same rules with row locks (see docs/architecture.md).
 */
import type { Attempt, ResourcesUpdate, Rollout, Span } from '@agl/schemas';
import type { StorageError } from './errors.js';

/** A rollout row with the latest attempt kept beside it, so list reads need no join. */
export interface RolloutRecord {
  rollout: Rollout;
  latest: Attempt | null;
}

/** Told when a batch of transactions ends: `null` once it is durable, or the error that rolled it back. */
export type BatchListener = (error: Error | null) => void;

export interface StorageEngine {
  readonly name: string;
  /** Runs `fn` atomically; nested calls join the outer transaction. */
  transaction<T>(fn: () => T): T;
  /**
   * The one listener for batch ends. An engine may group the transactions of many operations into one commit; the
   * store publishes what they changed (waits, ETags, the watchdog) only once the commit is durable, and resyncs
   * what it keeps in memory when a commit fails. Engines without batches end one after every transaction.
   */
  onBatchEnd(listener: BatchListener): void;
  /** A driver error in words (what is wrong with which file or database), or null if it is not the engine's. */
  describeError(error: unknown): StorageError | null;
  /**
   * Resolves once every write made so far is durable. Engines may group the writes of many operations into one
   * commit (SQLite commits once per event-loop turn); the HTTP layer awaits this before answering, so a
   * response never acknowledges a write that a crash could still lose. Null when nothing is pending (the common
   * case for reads), so callers can skip a promise round-trip.
   */
  flush(): Promise<void> | null;
  close(): void;

  insertRollout(rollout: Rollout): void;
  /** Replaces the stored rollout (same id). */
  saveRollout(rollout: Rollout): void;
  getRollout(rolloutId: string): RolloutRecord | null;
  /** Every rollout in creation order, each with its latest attempt. */
  listRollouts(): RolloutRecord[];
  /** The known rollouts among `rolloutIds`, in creation order (trainers poll their batch by id). */
  listRolloutsByIds(rolloutIds: string[]): RolloutRecord[];
  /**
   * The same list as compact JSON text per row (`rollout` without `attempt`, `attempt` or null), for the
   * 100k-row list endpoint where building objects only to serialise them again would dominate.
   */
  listRolloutsJson(): Array<[rolloutJson: string, attemptJson: string | null]>;
  /** Rollouts whose status is preparing or running (the watchdog's working set after a restart). */
  listActiveRollouts(): RolloutRecord[];

  insertAttempt(attempt: Attempt): void;
  saveAttempt(attempt: Attempt): void;
  getAttempt(rolloutId: string, attemptId: string): Attempt | null;
  listAttempts(rolloutId: string): Attempt[];

  /** Appends to the queue tail unless already queued. */
  enqueue(rolloutId: string): void;
  /** Removes the entry if present. */
  dequeueRemove(rolloutId: string): void;
  /** Pops the head entry, or null when empty. */
  popQueueHead(): string | null;
  isQueued(rolloutId: string): boolean;

  /** Inserts or replaces a snapshot and makes it the latest (most recent write). */
  writeResources(update: ResourcesUpdate): void;
  getResources(resourcesId: string): ResourcesUpdate | null;
  getLatestResources(): ResourcesUpdate | null;
  /** Newest write first. */
  listResources(): ResourcesUpdate[];

  /** Stores the span unless (rollout, attempt, span id) exists; returns the stored span and whether it is new. */
  insertSpan(span: Span): { span: Span; created: boolean };
  /** Spans in arrival order; `attemptId` null means every attempt. */
  listSpans(rolloutId: string, attemptId: string | null): Span[];

  getSpanCounter(rolloutId: string): number;
  setSpanCounter(rolloutId: string, value: number): void;
}
