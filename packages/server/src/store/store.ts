/**
 * The LightningStore: every operation of store-api.md §4 over a storage engine, applying the §5 rules from
 * `rules.ts`. Each operation runs in one engine transaction. The store also owns what must stay in process:
 * waiters, the watchdog's due-time index, and change counters that let list endpoints answer 304s cheaply.
 */
import {
  DEFAULT_ROLLOUT_CONFIG,
  isQueuedRolloutStatus,
  isTerminalRolloutStatus,
  type Attempt,
  type AttemptedRollout,
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
import type { RolloutRecord, StorageEngine } from '../storage/engine.js';
import { NotFoundError } from './errors.js';
import { epochSeconds, newAttemptId, newResourcesId, newRolloutId } from './ids.js';
import {
  isPromotedBySpan,
  rolloutStatusForAttempt,
  withAttemptStatus,
  withHeartbeat,
  withRolloutStatus,
} from './rules.js';
import { ChangeSet } from './changes.js';
import { HealthMonitor } from './health.js';
import { RolloutListView } from './rollout-list.js';
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

/** Monotonic change counters; a list endpoint's cached body is valid while its counter is unchanged. */
interface StoreVersions {
  /** Moves when a failed commit made everything in memory suspect: every cached list is rebuilt. */
  epoch: number;
  rollouts: number;
  resources: number;
  spans: Map<string, number>;
}

export class LightningStore {
  private readonly versions: StoreVersions = { epoch: 0, rollouts: 0, resources: 0, spans: new Map() };
  readonly waits = new WaitRegistry();
  readonly health: HealthMonitor;
  private readonly rolloutList: RolloutListView;
  readonly watchdog: Watchdog;
  readonly log: StoreLogger;
  private readonly now: () => number;
  /** Changes of the operations in the engine's current batch, published when it is durable. */
  private batch = new ChangeSet();
  /** Changes of the operation running now; merged into `batch` only if it succeeds. */
  private op: ChangeSet | null = null;

  constructor(
    readonly engine: StorageEngine,
    options: StoreOptions = {},
  ) {
    this.now = options.clock ?? epochSeconds;
    this.log = options.log ?? silent;
    this.health = new HealthMonitor(this.now);
    this.rolloutList = new RolloutListView(engine);
    this.watchdog = new Watchdog(this, this.now, options.watchdog);
    this.watchdog.track(engine.listActiveRollouts());
    engine.onBatchEnd((error) => (error ? this.batchFailed(error) : this.publish()));
  }

  close(): void {
    this.watchdog.stop();
    this.engine.close();
  }

  /** ETag versions of the list endpoints (opaque strings; equal while the list is unchanged). */
  rolloutsVersion(): string {
    return `${this.versions.epoch}:${this.versions.rollouts}`;
  }

  resourcesVersion(): string {
    return `${this.versions.epoch}:${this.versions.resources}`;
  }

  spansVersion(rolloutId: string): string {
    return `${this.versions.epoch}:${this.versions.spans.get(rolloutId) ?? 0}`;
  }

  // ---- rollouts and the queue -------------------------------------------------------------------------------

  enqueueRollout(request: RolloutRequest): Rollout {
    return this.tx(() => {
      const rollout = this.newRollout(request, 'queuing');
      this.engine.insertRollout(rollout);
      this.engine.enqueue(rollout.rollout_id);
      this.changed({ rollout, latest: null });
      return rollout;
    });
  }

  startRollout(request: RolloutRequest): AttemptedRollout {
    return this.tx(() => {
      const rollout = this.newRollout(request, 'preparing');
      this.engine.insertRollout(rollout);
      return this.createAttempt({ rollout, latest: null }, rollout.start_time);
    });
  }

  dequeueRollout(): AttemptedRollout | null {
    return this.tx(() => {
      for (;;) {
        const id = this.engine.popQueueHead();
        if (id === null) return null;
        const record = this.engine.getRollout(id);
        // Stale entries (the rollout moved on while queued) are dropped (§5.9).
        if (record && isQueuedRolloutStatus(record.rollout.status)) return this.createAttempt(record, this.now());
      }
    });
  }

  listRollouts(): RolloutWithAttempt[] {
    return this.engine.listRollouts().map(withLatest);
  }

  /** The same list as one JSON text with its ETag, maintained incrementally (see rollout-list.ts). */
  listRolloutsJson(): { body: string; etag: string } {
    return this.rolloutList.read();
  }

  searchRollouts(status: RolloutStatus[] | null, rolloutIds: string[] | null): RolloutWithAttempt[] {
    const statuses = status === null ? null : new Set(status);
    // An id filter reads only those rows: trainers poll their in-flight batch by id, and the store may hold 100k.
    const candidates = rolloutIds === null ? this.engine.listRollouts() : this.engine.listRolloutsByIds(rolloutIds);
    return candidates.filter((r) => statuses === null || statuses.has(r.rollout.status)).map(withLatest);
  }

  getRollout(rolloutId: string): RolloutWithAttempt | null {
    const record = this.engine.getRollout(rolloutId);
    return record ? withLatest(record) : null;
  }

  /** `update` holds only the keys the client sent (§2.6); explicit nulls were already refused where not allowed. */
  updateRollout(rolloutId: string, update: UpdateRolloutRequest): Rollout {
    return this.tx(() => {
      const record = this.requireRollout(rolloutId);
      let rollout: Rollout = { ...record.rollout };
      if ('input' in update) rollout.input = update.input;
      if ('mode' in update) rollout.mode = update.mode ?? null;
      if ('resources_id' in update) rollout.resources_id = update.resources_id ?? null;
      if ('metadata' in update) rollout.metadata = update.metadata ?? null;
      if (update.config) rollout.config = update.config;
      if (update.status) {
        rollout = this.applyRolloutStatus(rollout, update.status, this.now(), record.latest);
      } else {
        this.saveRollout(rollout, record.latest);
      }
      return rollout;
    });
  }

  // ---- attempts ---------------------------------------------------------------------------------------------

  startAttempt(rolloutId: string): AttemptedRollout {
    return this.tx(() => this.createAttempt(this.requireRollout(rolloutId), this.now()));
  }

  listAttempts(rolloutId: string): Attempt[] {
    return this.engine.listAttempts(rolloutId);
  }

  getLatestAttempt(rolloutId: string): Attempt | null {
    return this.engine.getRollout(rolloutId)?.latest ?? null;
  }

  updateAttempt(rolloutId: string, attemptId: string, update: UpdateAttemptRequest): Attempt {
    return this.tx(() => {
      const record = this.requireRollout(rolloutId);
      const target = attemptId === 'latest' ? record.latest : this.engine.getAttempt(rolloutId, attemptId);
      if (!target) throw new NotFoundError('Attempt', attemptId);
      let attempt: Attempt = { ...target };
      if (update.worker_id != null) attempt.worker_id = update.worker_id;
      if (update.last_heartbeat_time != null) attempt.last_heartbeat_time = update.last_heartbeat_time;
      if (update.metadata != null) attempt.metadata = update.metadata;
      if (update.status == null) {
        this.saveAttempt(attempt, record);
        return attempt;
      }
      attempt = withAttemptStatus(attempt, update.status, this.now());
      this.setAttemptStatus(record, attempt);
      return attempt;
    });
  }

  /**
   * Stores an attempt whose status was set (by a client or the watchdog); when it is the latest attempt the
   * rollout follows it (§5.2). Updates of older attempts never move the rollout (§7.1 #4).
   */
  setAttemptStatus(record: RolloutRecord, attempt: Attempt): void {
    const isLatest = record.latest !== null && record.latest.sequence_id === attempt.sequence_id;
    this.engine.saveAttempt(attempt);
    if (!isLatest) {
      this.changed(record); // the attempts list changed, the rollout row did not
      return;
    }
    const status = rolloutStatusForAttempt(attempt, record.rollout.config);
    this.applyRolloutStatus(record.rollout, status, this.now(), attempt);
  }

  // ---- resources --------------------------------------------------------------------------------------------

  addResources(resources: NamedResources): ResourcesUpdate {
    return this.tx(() => {
      let id = newResourcesId();
      while (this.engine.getResources(id)) id = newResourcesId();
      return this.writeResources(id, resources);
    });
  }

  upsertResources(resourcesId: string, resources: NamedResources): ResourcesUpdate {
    return this.tx(() => this.writeResources(resourcesId, resources));
  }

  listResources(): ResourcesUpdate[] {
    return this.engine.listResources();
  }

  getResources(resourcesId: string): ResourcesUpdate | null {
    return this.engine.getResources(resourcesId);
  }

  getLatestResources(): ResourcesUpdate | null {
    return this.engine.getLatestResources();
  }

  // ---- spans ------------------------------------------------------------------------------------------------

  /** §4.18: a new span raises the counter and is a heartbeat; a duplicate (§7d) changes nothing. */
  addSpan(span: Span): { span: Span; created: boolean } {
    return this.tx(() => {
      const record = this.requireRollout(span.rollout_id);
      const attempt = this.engine.getAttempt(span.rollout_id, span.attempt_id);
      if (!attempt) throw new NotFoundError('Attempt', span.attempt_id);
      const result = this.engine.insertSpan(span);
      if (!result.created) return result;
      this.changes().spans.add(span.rollout_id);
      if (span.sequence_id > this.engine.getSpanCounter(span.rollout_id)) {
        this.engine.setSpanCounter(span.rollout_id, span.sequence_id);
      }
      const now = this.now();
      const beaten = withHeartbeat(attempt, now);
      this.engine.saveAttempt(beaten);
      const isLatest = record.latest?.sequence_id === attempt.sequence_id;
      if (isLatest && isPromotedBySpan(record.rollout.status)) {
        this.applyRolloutStatus(record.rollout, 'running', now, beaten);
      } else {
        this.changed({ rollout: record.rollout, latest: isLatest ? beaten : record.latest });
      }
      return result;
    });
  }

  /** `attemptId` `latest` is the attempt with the highest sequence id (§7.1 #7). */
  querySpans(rolloutId: string, attemptId: string | null): Span[] {
    if (attemptId === 'latest') {
      const latest = this.engine.getRollout(rolloutId)?.latest;
      return latest ? this.engine.listSpans(rolloutId, latest.attempt_id) : [];
    }
    return this.engine.listSpans(rolloutId, attemptId);
  }

  /** §5.7: per-rollout counter, no validation of the ids. */
  nextSpanSequenceId(rolloutId: string): number {
    return this.tx(() => {
      const next = this.engine.getSpanCounter(rolloutId) + 1;
      this.engine.setSpanCounter(rolloutId, next);
      return next;
    });
  }

  // ---- waits ------------------------------------------------------------------------------------------------

  waitForRollouts(rolloutIds: string[], timeout: number | null, signal: AbortSignal): Promise<Rollout[]> {
    const known: Rollout[] = [];
    for (const id of new Set(rolloutIds)) {
      const record = this.engine.getRollout(id);
      if (record) known.push(record.rollout);
    }
    return this.waits.wait(known, (r) => isTerminalRolloutStatus(r.status), timeout, signal);
  }

  // ---- internals --------------------------------------------------------------------------------------------

  /**
   * Runs `fn` atomically. Store methods nest freely (the engine joins the outer transaction). What the outermost
   * operation changed joins the batch only if it succeeded, inside its transaction, so a batch that ends right after
   * (engines without group commit end one per transaction) publishes it.
   */
  tx<T>(fn: () => T): T {
    if (this.op) return fn();
    const op = (this.op = new ChangeSet());
    try {
      return this.engine.transaction(() => {
        const result = fn();
        this.batch.merge(op);
        return result;
      });
    } finally {
      this.op = null;
    }
  }

  private changes(): ChangeSet {
    if (!this.op) throw new Error('store write outside a transaction');
    return this.op;
  }

  private changed(record: RolloutRecord): void {
    this.changes().rollouts.set(record.rollout.rollout_id, record);
  }

  /** The batch is durable: everything kept in memory catches up with it. Never throws (it runs in a timer). */
  private publish(): void {
    const batch = this.batch;
    this.batch = new ChangeSet();
    this.health.succeeded('database');
    if (batch.empty) return;
    this.guard('publishing changes', () => {
      if (batch.rollouts.size > 0) this.versions.rollouts++;
      if (batch.resources) this.versions.resources++;
      for (const id of batch.spans) this.versions.spans.set(id, (this.versions.spans.get(id) ?? 0) + 1);
      for (const id of batch.rollouts.keys()) this.rolloutList.markDirty(id);
      this.watchdog.track([...batch.rollouts.values()]);
    });
    for (const rollout of batch.terminal) this.guard('waking waits', () => this.waits.notify(rollout));
  }

  /**
   * A commit failed and the engine rolled the batch back: nothing of it happened. Whatever memory derived from the
   * batch's operations is rebuilt from storage, and the watchdog re-reads its working set (on its next scan, so a
   * database that is still failing is retried with backoff instead of here).
   */
  private batchFailed(error: Error): void {
    this.batch = new ChangeSet();
    const problem = this.health.failed('database', error);
    this.log.error(`a commit failed and was rolled back (${problem.failures} in a row): ${error.message}`);
    this.versions.epoch++;
    this.rolloutList.reset();
    this.watchdog.resyncLater();
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  private newRollout(request: RolloutRequest, status: RolloutStatus): Rollout {
    let rolloutId = newRolloutId();
    while (this.engine.getRollout(rolloutId)) rolloutId = newRolloutId();
    const resourcesId = request.resources_id || this.engine.getLatestResources()?.resources_id || null;
    return {
      rollout_id: rolloutId,
      input: request.input,
      start_time: this.now(),
      end_time: null,
      mode: request.mode ?? null,
      resources_id: resourcesId,
      status,
      config: request.config ?? { ...DEFAULT_ROLLOUT_CONFIG, retry_condition: [] },
      metadata: request.metadata ?? {},
    };
  }

  /** Dequeue, start and manual retry: a new `preparing` attempt, and the rollout `preparing` off the queue. */
  private createAttempt(record: RolloutRecord, now: number): AttemptedRollout {
    const attempt: Attempt = {
      rollout_id: record.rollout.rollout_id,
      attempt_id: newAttemptId(),
      sequence_id: (record.latest?.sequence_id ?? 0) + 1,
      start_time: now,
      end_time: null,
      status: 'preparing',
      worker_id: null,
      last_heartbeat_time: null,
      metadata: null,
    };
    this.engine.insertAttempt(attempt);
    const rollout = this.applyRolloutStatus(record.rollout, 'preparing', now, attempt);
    return { ...rollout, attempt };
  }

  /** A rollout status change with its side effects (§4.8): end_time, queue membership, waiters. */
  private applyRolloutStatus(rollout: Rollout, status: RolloutStatus, now: number, latest: Attempt | null): Rollout {
    const next = withRolloutStatus(rollout, status, now);
    if (isQueuedRolloutStatus(status)) this.engine.enqueue(next.rollout_id);
    else this.engine.dequeueRemove(next.rollout_id);
    this.saveRollout(next, latest);
    if (isTerminalRolloutStatus(status)) this.changes().terminal.push(next);
    return next;
  }

  private saveRollout(rollout: Rollout, latest: Attempt | null): void {
    this.engine.saveRollout(rollout);
    this.changed({ rollout, latest });
  }

  private saveAttempt(attempt: Attempt, record: RolloutRecord): void {
    this.engine.saveAttempt(attempt);
    const isLatest = record.latest?.sequence_id === attempt.sequence_id;
    this.changed({ rollout: record.rollout, latest: isLatest ? attempt : record.latest });
  }

  private writeResources(resourcesId: string, resources: NamedResources): ResourcesUpdate {
    const now = this.now();
    const previous = this.engine.getResources(resourcesId);
    const update: ResourcesUpdate = {
      resources_id: resourcesId,
      create_time: previous?.create_time ?? now,
      update_time: now,
      version: (previous?.version ?? 0) + 1,
      resources,
    };
    this.engine.writeResources(update);
    this.changes().resources = true;
    return update;
  }

  private requireRollout(rolloutId: string): RolloutRecord {
    const record = this.engine.getRollout(rolloutId);
    if (!record) throw new NotFoundError('Rollout', rolloutId);
    return record;
  }
}

function withLatest(record: RolloutRecord): RolloutWithAttempt {
  return record.latest ? { ...record.rollout, attempt: record.latest } : record.rollout;
}
