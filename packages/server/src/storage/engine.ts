/**
 * The storage contract. Engines store and fetch; every lifecycle rule lives in `store/`, written once against this
 * interface. An engine may be synchronous inside (memory, SQLite through better-sqlite3) or talk to a database over
 * the network (PostgreSQL): every method may return a value or a promise, and the store awaits either.
 *
 * Ownership: an object handed to an engine becomes the engine's, and an object an engine returns is shared — callers
 * never mutate either (the store derives new objects with spreads). Engines may keep and hand out the same object
 * again (SQLite caches rows; memory stores and returns them as they are, frozen, so a stray mutation throws in tests).
 */
import type {
  Attempt,
  AttemptSortKey,
  ResourcesQuery,
  ResourcesSortKey,
  ResourcesUpdate,
  Rollout,
  RolloutQuery,
  RolloutSortKey,
  Span,
  SpanQuery,
  SpanSortKey,
  Worker,
  WorkerQuery,
  WorkerSortKey,
} from '@agl/schemas';
import type { ChangeSet } from '../store/changes.js';
import type { StorageError } from './errors.js';
import type { Page, PageRequest } from './queries.js';

export type Awaitable<T> = T | Promise<T>;

/** A rollout row with its latest attempt kept beside it, so list reads need no join. */
export interface RolloutRecord {
  rollout: Rollout;
  latest: Attempt | null;
}

/** A wire query whose `sort_by` was checked against the collection's keys. */
export type Checked<Q extends { sort_by: string | null }, K extends string> = Omit<Q, 'sort_by'> & {
  sort_by: K | null;
};

export interface StoreCounts {
  rollouts: number;
  attempts: number;
  spans: number;
  resources: number;
  workers: number;
}

/** Reads, inside or outside a write transaction. */
export interface StorageReader {
  getRollout(rolloutId: string): Awaitable<RolloutRecord | null>;
  /** Every rollout in creation order, each with its latest attempt. */
  listRollouts(): Awaitable<RolloutRecord[]>;
  /** The known rollouts among `rolloutIds`, in creation order (trainers poll their batch by id). */
  listRolloutsByIds(rolloutIds: string[]): Awaitable<RolloutRecord[]>;
  /**
   * Every rollout as compact JSON text per row (`rollout` without `attempt`, and the latest attempt or null), for the
   * 100k-row list endpoint where building objects only to serialise them again would dominate.
   */
  listRolloutsJson(): Awaitable<Array<[rolloutJson: string, attemptJson: string | null]>>;
  /** Active rollouts (preparing or running) whose watchdog due time is before `now`, at most `limit`. */
  listDueRollouts(now: number, limit: number): Awaitable<string[]>;
  /** The earliest watchdog due time of any active rollout, or null. */
  nextDueTime(): Awaitable<number | null>;

  getAttempt(rolloutId: string, attemptId: string): Awaitable<Attempt | null>;
  /** Ascending sequence id. */
  listAttempts(rolloutId: string): Awaitable<Attempt[]>;

  getResources(resourcesId: string): Awaitable<ResourcesUpdate | null>;
  /** The most recently written snapshot. */
  getLatestResources(): Awaitable<ResourcesUpdate | null>;
  /** Newest write first. */
  listResources(): Awaitable<ResourcesUpdate[]>;

  /** Spans in arrival order; `attemptId` null means every attempt. */
  listSpans(rolloutId: string, attemptId: string | null): Awaitable<Span[]>;
  getSpan(rolloutId: string, attemptId: string, spanId: string): Awaitable<Span | null>;

  // Queries of the v0.3 generation: answered from indexes, never by loading a collection (queries.ts has the rules).
  queryRollouts(query: Checked<RolloutQuery, RolloutSortKey>): Awaitable<Page<RolloutRecord>>;
  /** The attempts of one rollout (an unknown rollout has none). */
  queryAttempts(rolloutId: string, request: PageRequest<AttemptSortKey>): Awaitable<Page<Attempt>>;
  /** `attempt_id` is an attempt id or null (every attempt); the store resolves `latest` first. */
  querySpans(query: Checked<SpanQuery, SpanSortKey>): Awaitable<Page<Span>>;
  queryResources(query: Checked<ResourcesQuery, ResourcesSortKey>): Awaitable<Page<ResourcesUpdate>>;
  queryWorkers(query: Checked<WorkerQuery, WorkerSortKey>): Awaitable<Page<Worker>>;
  getWorker(workerId: string): Awaitable<Worker | null>;
  counts(): Awaitable<StoreCounts>;

  /**
   * Shared engines: the ids of rollouts written by transactions that `cursor` (null: none yet) did not see, and the
   * cursor for the next call. Lets the rollout list view catch up with other servers' writes from the database
   * itself. Engines without it are written by this process only, and its committed changes say what changed.
   */
  rolloutsChangedSince?(cursor: string | null): Awaitable<{ ids: string[]; cursor: string }>;
}

/** Everything a store operation may do inside one atomic transaction. */
export interface StorageTx extends StorageReader {
  /** Reads a rollout and keeps others from changing it until the transaction ends (a row lock where needed). */
  lockRollout(rolloutId: string): Awaitable<RolloutRecord | null>;
  /** Stores a new rollout row (with its latest attempt, if any). Index columns come from `rolloutColumns`. */
  insertRollout(record: RolloutRecord): Awaitable<void>;
  /** Replaces the stored rollout row and its copy of the latest attempt. */
  saveRollout(record: RolloutRecord): Awaitable<void>;

  insertAttempt(attempt: Attempt): Awaitable<void>;
  saveAttempt(attempt: Attempt): Awaitable<void>;

  /** Appends to the queue tail unless already queued. */
  enqueue(rolloutId: string): Awaitable<void>;
  /** Removes the entry if present. */
  removeFromQueue(rolloutId: string): Awaitable<void>;
  /** Takes the head entry, or null when empty; concurrent transactions never take the same entry. */
  popQueueHead(): Awaitable<string | null>;

  /** Inserts or replaces a snapshot and makes it the latest (most recent write). */
  writeResources(update: ResourcesUpdate): Awaitable<void>;

  /** Stores the span unless (rollout, attempt, span id) exists; returns the stored span and whether it is new. */
  insertSpan(span: Span): Awaitable<{ span: Span; created: boolean }>;
  /** `insertSpan` for a batch, in order (a span repeated within the batch is stored once). */
  insertSpans(spans: Span[]): Awaitable<Array<{ span: Span; created: boolean }>>;
  /** Increments the rollout's span counter and returns the new value (the first call returns 1). */
  nextSpanSequenceId(rolloutId: string): Awaitable<number>;
  /** Raises the counter to at least `value` (never lowers it). */
  raiseSpanSequenceId(rolloutId: string, value: number): Awaitable<void>;
  /**
   * Takes `count` consecutive sequence ids at once and returns the first. With `count` 0 it takes none and returns
   * the id that comes next, holding the counter for the rest of the transaction (a row lock where needed), so the
   * caller can hand ids out itself and `raiseSpanSequenceId` once at the end.
   */
  reserveSpanSequenceIds(rolloutId: string, count: number): Awaitable<number>;

  /** Reads a worker and keeps others from changing it until the transaction ends. */
  lockWorker(workerId: string): Awaitable<Worker | null>;
  /** Inserts or replaces a worker. */
  saveWorker(worker: Worker): Awaitable<void>;
}

/**
 * List versions kept by the database (shared engines): opaque strings that move with every committed change of the
 * list, by any server. Read before a cached list body is served.
 */
export interface StoredVersions {
  rollouts(): Promise<string>;
  resources(): Promise<string>;
  workers(): Promise<string>;
  spans(rolloutId: string): Promise<string>;
}

/** Told about changes once they are durable. `local` is false for changes another server made (shared databases). */
export type ChangeListener = (changes: ChangeSet, local: boolean) => void;

export interface StorageEngine {
  /** `memory`, `sqlite` or `postgres`; also the store name in statistics. */
  readonly kind: string;
  /** True when other processes may write the same data (changes then also arrive from outside). */
  readonly shared: boolean;

  /**
   * Runs `fn` atomically and resolves once its writes are durable (engines may commit many transactions at once).
   * `changes` — filled by `fn` — is announced to the change listener after the commit, and dropped if `fn` throws
   * or the commit fails. Nothing another transaction does is visible half-done.
   */
  write<T>(changes: ChangeSet, fn: (tx: StorageTx) => Promise<T>): Promise<T>;
  /** Runs reads that see one consistent state; resolves once anything they saw is durable. */
  read<T>(fn: (reader: StorageReader) => Promise<T>): Promise<T>;

  /** The one listener for committed changes (the store's). */
  onChanges(listener: ChangeListener): void;
  /**
   * Told when a commit failed after its transactions had run: what the store keeps in memory about the data may be
   * ahead of storage and is rebuilt. The error says what went wrong.
   */
  onCommitFailed(listener: (error: Error) => void): void;

  /** Shared engines: list versions from the database (this process's committed changes do not cover others'). */
  readonly versions?: StoredVersions;
  /**
   * Shared engines: whether this server may run the watchdog now (one server at a time does; the role moves to
   * another server when its holder goes away).
   */
  mayRunWatchdog?(): boolean;
  /**
   * Shared engines: told when the engine loses its connection to the database (an error) and when it has it back
   * (null). Changes other servers made in between were not announced: the store re-checks what it waits for.
   */
  onOutage?(listener: (error: Error | null) => void): void;

  /** A driver error in words (what is wrong with which file or database), or null if it is not the engine's. */
  describeError(error: unknown): StorageError | null;
  close(): Promise<void>;
}
