/**
 * The LightningStore: every operation of the contract (docs/protocol.md) over a storage engine, applying the
 * lifecycle rules of `rules.ts`. This class is the seam: HTTP routes of every protocol generation call it and nothing
 * below it, and its behaviour is what the conformance suites check. Each operation runs in one engine transaction
 * and resolves once its writes are durable.
 *
 * What the store keeps in memory about the data — ETag versions, the watchdog's earliest due time, the `/rollouts`
 * list view, waiters — is fed only by committed changes (`onCommitted`), whether they were made here or, on a shared
 * database, by another server.
 */
import {
  isTerminalRolloutStatus,
  type Attempt,
  type AttemptedRollout,
  type HealthResponse,
  type NamedResources,
  type ResourcesUpdate,
  type Rollout,
  type RolloutRequest,
  type RolloutStatus,
  type RolloutWithAttempt,
  type Span,
  type UpdateAttemptRequest,
  type UpdateRolloutRequest,
} from '@agl/schemas';
import type { RolloutRecord, StorageEngine, StorageTx } from '../storage/engine.js';
import { ChangeSet } from './changes.js';
import { HealthMonitor } from './health.js';
import { epochSeconds } from './ids.js';
import { Lifecycle } from './lifecycle.js';
import { RolloutListView } from './rollout-list.js';
import { watchdogDueTime } from './rules.js';
import { StoreVersions } from './versions.js';
import { WaitRegistry } from './waits.js';
import { Watchdog, type WatchdogOptions } from './watchdog.js';

export interface StoreOptions {
  watchdog?: WatchdogOptions;
  clock?: () => number;
  log?: StoreLogger;
}

/** Where background work reports what went wrong (Fastify's logger fits). */
export interface StoreLogger {
  warn(message: string): void;
  error(message: string): void;
}

const silent: StoreLogger = { warn: () => undefined, error: () => undefined };

export class LightningStore {
  readonly health: HealthMonitor;
  readonly versions = new StoreVersions();
  private readonly waits = new WaitRegistry();
  private readonly watchdog: Watchdog;
  private readonly rolloutList: RolloutListView;
  private readonly lifecycle: Lifecycle;
  private readonly now: () => number;
  private readonly log: StoreLogger;

  constructor(
    private readonly engine: StorageEngine,
    options: StoreOptions = {},
  ) {
    this.now = options.clock ?? epochSeconds;
    this.log = options.log ?? silent;
    this.health = new HealthMonitor(this.now);
    this.lifecycle = new Lifecycle(this.now);
    this.rolloutList = new RolloutListView((fn) => engine.read(fn));
    this.watchdog = new Watchdog(
      {
        listDue: (now, limit) => engine.read(async (r) => r.listDueRollouts(now, limit)),
        nextDueTime: () => engine.read(async (r) => r.nextDueTime()),
        applyRules: (rolloutId, now) =>
          this.write((tx, changes) => this.lifecycle.watchdog(tx, changes, rolloutId, now)),
        health: this.health,
        log: this.log,
      },
      this.now,
      options.watchdog,
    );
    engine.onChanges((changes, local) => this.onCommitted(changes, local));
    engine.onCommitFailed((error) => this.onCommitFailed(error));
  }

  /** The storage engine's kind (`memory`, `sqlite`, `postgres`). */
  get kind(): string {
    return this.engine.kind;
  }

  /** Starts background work (the watchdog's timer). */
  start(): void {
    this.watchdog.start();
  }

  /** Answers every pending wait with what it has, so a shutdown does not hang on unbounded waits. */
  releaseWaits(): void {
    this.waits.releaseAll();
  }

  async close(): Promise<void> {
    this.watchdog.stop();
    this.waits.releaseAll();
    await this.engine.close();
  }

  /** Liveness, plus background problems that persist. */
  healthReport(): HealthResponse {
    const problems = this.health.problems();
    return problems.length === 0 ? { status: 'ok' } : { status: 'degraded', problems };
  }

  /** The scan that must finish before a request's own work (§5.5), or null when nothing can be due. */
  beforeRequest(): Promise<number> | null {
    return this.watchdog.beforeRequest();
  }

  /** A storage error in words (which file, what is wrong), or null. */
  describeError(error: unknown) {
    return this.engine.describeError(error);
  }

  // ---- rollouts and the queue -------------------------------------------------------------------------------

  enqueueRollout(request: RolloutRequest): Promise<Rollout> {
    return this.write((tx, changes) => this.lifecycle.enqueue(tx, changes, request));
  }

  startRollout(request: RolloutRequest): Promise<AttemptedRollout> {
    return this.write((tx, changes) => this.lifecycle.start(tx, changes, request));
  }

  dequeueRollout(): Promise<AttemptedRollout | null> {
    return this.write((tx, changes) => this.lifecycle.dequeue(tx, changes));
  }

  listRollouts(): Promise<RolloutWithAttempt[]> {
    return this.engine.read(async (r) => (await r.listRollouts()).map(withLatest));
  }

  /** The same list as one JSON text with its ETag, maintained incrementally (see rollout-list.ts). */
  listRolloutsJson(): Promise<{ body: string; etag: string }> {
    return this.rolloutList.body();
  }

  searchRollouts(status: RolloutStatus[] | null, rolloutIds: string[] | null): Promise<RolloutWithAttempt[]> {
    const statuses = status === null ? null : new Set(status);
    return this.engine.read(async (r) => {
      // An id filter reads only those rows: trainers poll their in-flight batch by id, and the store may hold 100k.
      const candidates = rolloutIds === null ? await r.listRollouts() : await r.listRolloutsByIds(rolloutIds);
      return candidates.filter((c) => statuses === null || statuses.has(c.rollout.status)).map(withLatest);
    });
  }

  getRollout(rolloutId: string): Promise<RolloutWithAttempt | null> {
    return this.engine.read(async (r) => {
      const record = await r.getRollout(rolloutId);
      return record ? withLatest(record) : null;
    });
  }

  updateRollout(rolloutId: string, update: UpdateRolloutRequest): Promise<Rollout> {
    return this.write((tx, changes) => this.lifecycle.updateRollout(tx, changes, rolloutId, update));
  }

  // ---- attempts ---------------------------------------------------------------------------------------------

  startAttempt(rolloutId: string): Promise<AttemptedRollout> {
    return this.write((tx, changes) => this.lifecycle.startAttempt(tx, changes, rolloutId));
  }

  listAttempts(rolloutId: string): Promise<Attempt[]> {
    return this.engine.read(async (r) => r.listAttempts(rolloutId));
  }

  getLatestAttempt(rolloutId: string): Promise<Attempt | null> {
    return this.engine.read(async (r) => (await r.getRollout(rolloutId))?.latest ?? null);
  }

  updateAttempt(rolloutId: string, attemptId: string, update: UpdateAttemptRequest): Promise<Attempt> {
    return this.write((tx, changes) => this.lifecycle.updateAttempt(tx, changes, rolloutId, attemptId, update));
  }

  // ---- resources --------------------------------------------------------------------------------------------

  addResources(resources: NamedResources): Promise<ResourcesUpdate> {
    return this.write((tx, changes) => this.lifecycle.writeResources(tx, changes, null, resources));
  }

  upsertResources(resourcesId: string, resources: NamedResources): Promise<ResourcesUpdate> {
    return this.write((tx, changes) => this.lifecycle.writeResources(tx, changes, resourcesId, resources));
  }

  listResources(): Promise<ResourcesUpdate[]> {
    return this.engine.read(async (r) => r.listResources());
  }

  getResources(resourcesId: string): Promise<ResourcesUpdate | null> {
    return this.engine.read(async (r) => r.getResources(resourcesId));
  }

  getLatestResources(): Promise<ResourcesUpdate | null> {
    return this.engine.read(async (r) => r.getLatestResources());
  }

  // ---- spans ------------------------------------------------------------------------------------------------

  /** §4.18: a new span raises the counter and is a heartbeat; a duplicate (§7d) changes nothing. */
  addSpan(span: Span): Promise<{ span: Span; created: boolean }> {
    return this.write((tx, changes) => this.lifecycle.addSpan(tx, changes, span));
  }

  /** `attemptId` `latest` is the attempt with the highest sequence id (§7.1 #7). */
  querySpans(rolloutId: string, attemptId: string | null): Promise<Span[]> {
    return this.engine.read(async (r) => {
      if (attemptId !== 'latest') return r.listSpans(rolloutId, attemptId);
      const latest = (await r.getRollout(rolloutId))?.latest;
      return latest ? r.listSpans(rolloutId, latest.attempt_id) : [];
    });
  }

  /** §5.7: per-rollout counter, no validation of the ids. */
  nextSpanSequenceId(rolloutId: string): Promise<number> {
    return this.write(async (tx) => tx.nextSpanSequenceId(rolloutId));
  }

  // ---- waits ------------------------------------------------------------------------------------------------

  waitForRollouts(rolloutIds: string[], timeout: number | null, signal: AbortSignal): Promise<Rollout[]> {
    return this.waits.wait({
      ids: rolloutIds,
      read: (ids) => this.engine.read(async (r) => (await r.listRolloutsByIds(ids)).map((c) => c.rollout)),
      isTerminal: (rollout) => isTerminalRolloutStatus(rollout.status),
      timeout,
      signal,
    });
  }

  // ---- internals --------------------------------------------------------------------------------------------

  /** One operation in one transaction; its changes are announced once durable. */
  private write<T>(fn: (tx: StorageTx, changes: ChangeSet) => Promise<T>): Promise<T> {
    const changes = new ChangeSet();
    return this.engine.write(changes, (tx) => fn(tx, changes));
  }

  /** Committed changes reach everything kept in memory. Never throws (it runs inside the engine's commit). */
  private onCommitted(changes: ChangeSet, local: boolean): void {
    this.health.succeeded('database');
    if (changes.empty) return;
    this.guard('publishing changes', () => {
      this.versions.apply(changes);
      for (const id of changes.rollouts.keys()) this.rolloutList.markDirty(id);
      if (!local) this.watchdog.forgetEarliestDue();
      for (const { rollout, latest } of changes.rollouts.values()) {
        this.watchdog.noteDue(watchdogDueTime(rollout, latest));
      }
    });
    for (const rollout of changes.terminal) this.guard('waking waits', () => this.waits.notify(rollout));
  }

  /**
   * A commit failed and the engine rolled it back: none of it happened. Whatever memory derived from it is rebuilt
   * from storage, and the watchdog looks again (with backoff while the database keeps failing).
   */
  private onCommitFailed(error: Error): void {
    const problem = this.health.failed('database', error);
    this.log.error(`a commit failed and was rolled back (${problem.failures} in a row): ${error.message}`);
    this.guard('resyncing after a failed commit', () => {
      this.versions.invalidateAll();
      this.rolloutList.reset();
      this.watchdog.forgetEarliestDue();
    });
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}

function withLatest(record: RolloutRecord): RolloutWithAttempt {
  return record.latest ? { ...record.rollout, attempt: record.latest } : record.rollout;
}
