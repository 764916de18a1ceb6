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
import { RolloutListView } from './rollout-list.js';
import { WaitRegistry } from './waits.js';
import { Watchdog, type WatchdogOptions } from './watchdog.js';

export interface StoreOptions {
  watchdog?: WatchdogOptions;
  clock?: () => number;
}

/** Monotonic change counters; a list endpoint's cached body is valid while its counter is unchanged. */
export interface StoreVersions {
  rollouts: number;
  resources: number;
  spans: Map<string, number>;
}

export class LightningStore {
  readonly versions: StoreVersions = { rollouts: 0, resources: 0, spans: new Map() };
  readonly waits = new WaitRegistry();
  private readonly rolloutList: RolloutListView;
  readonly watchdog: Watchdog;
  private readonly now: () => number;

  constructor(
    readonly engine: StorageEngine,
    options: StoreOptions = {},
  ) {
    this.now = options.clock ?? epochSeconds;
    this.rolloutList = new RolloutListView(engine);
    this.watchdog = new Watchdog(this, this.now, options.watchdog);
    this.watchdog.track(engine.listActiveRollouts());
  }

  close(): void {
    this.watchdog.stop();
    this.engine.close();
  }

  // ---- rollouts and the queue -------------------------------------------------------------------------------

  enqueueRollout(request: RolloutRequest): Rollout {
    return this.tx(() => {
      const rollout = this.newRollout(request, 'queuing');
      this.engine.insertRollout(rollout);
      this.engine.enqueue(rollout.rollout_id);
      this.touchRollouts(rollout.rollout_id);
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
      this.touchRollouts(attempt.rollout_id);
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
      this.bumpSpans(span.rollout_id);
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
        this.touchRollouts(span.rollout_id);
        if (isLatest) this.watchdog.track([{ rollout: record.rollout, latest: beaten }]);
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

  /** Runs `fn` atomically. Store methods nest freely (the engine joins the outer transaction). */
  tx<T>(fn: () => T): T {
    return this.engine.transaction(fn);
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
    if (isTerminalRolloutStatus(status)) this.waits.notify(next);
    return next;
  }

  private saveRollout(rollout: Rollout, latest: Attempt | null): void {
    this.engine.saveRollout(rollout);
    this.touchRollouts(rollout.rollout_id);
    this.watchdog.track([{ rollout, latest }]);
  }

  private saveAttempt(attempt: Attempt, record: RolloutRecord): void {
    this.engine.saveAttempt(attempt);
    this.touchRollouts(attempt.rollout_id);
    if (record.latest?.sequence_id === attempt.sequence_id)
      this.watchdog.track([{ rollout: record.rollout, latest: attempt }]);
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
    this.versions.resources++;
    return update;
  }

  private requireRollout(rolloutId: string): RolloutRecord {
    const record = this.engine.getRollout(rolloutId);
    if (!record) throw new NotFoundError('Rollout', rolloutId);
    return record;
  }

  private touchRollouts(rolloutId: string): void {
    this.versions.rollouts++;
    this.rolloutList.markDirty(rolloutId);
  }

  private bumpSpans(rolloutId: string): void {
    this.versions.spans.set(rolloutId, (this.versions.spans.get(rolloutId) ?? 0) + 1);
  }
}

function withLatest(record: RolloutRecord): RolloutWithAttempt {
  return record.latest ? { ...record.rollout, attempt: record.latest } : record.rollout;
}
