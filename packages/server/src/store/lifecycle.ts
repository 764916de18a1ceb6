/**
 * The lifecycle of docs/protocol.md §5 as transaction steps: what enqueue, dequeue, a span or an attempt update do
 * to rollouts, attempts and the queue. Every method runs inside one storage transaction (`tx`) and records what it
 * changed in `changes`, which the store publishes once the transaction is durable. The decisions themselves are the
 * pure functions of `rules.ts`; this file sequences reads and writes around them.
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
  type Span,
  type UpdateAttemptRequest,
  type UpdateRolloutRequest,
  type Worker,
} from '@agl/schemas';
import type { RolloutRecord, StorageTx } from '../storage/engine.js';
import type { ChangeSet } from './changes.js';
import { NotFoundError } from './errors.js';
import { newAttemptId, newResourcesId, newRolloutId } from './ids.js';
import { afterAttemptUpdate, afterDequeue, afterHeartbeat, afterStart } from './workers.js';
import {
  isPromotedBySpan,
  rolloutStatusForAttempt,
  watchdogSteps,
  withAttemptStatus,
  withHeartbeat,
  withRolloutStatus,
} from './rules.js';

/** The rollout, locked for the rest of the transaction; 404 when unknown. */
export async function requireRollout(tx: StorageTx, rolloutId: string): Promise<RolloutRecord> {
  const record = await tx.lockRollout(rolloutId);
  if (!record) throw new NotFoundError('Rollout', rolloutId);
  return record;
}

export class Lifecycle {
  constructor(private readonly now: () => number) {}

  async enqueue(
    tx: StorageTx,
    changes: ChangeSet,
    request: RolloutRequest,
    defaults: ResourcesDefault = 'null-or-empty',
  ): Promise<Rollout> {
    const rollout = await this.newRollout(tx, request, 'queuing', defaults);
    await tx.insertRollout({ rollout, latest: null });
    await tx.enqueue(rollout.rollout_id);
    changes.rollouts.set(rollout.rollout_id, { rollout, latest: null });
    return rollout;
  }

  async start(
    tx: StorageTx,
    changes: ChangeSet,
    request: RolloutRequest,
    workerId: string | null = null,
    defaults: ResourcesDefault = 'null-or-empty',
  ): Promise<AttemptedRollout> {
    const rollout = await this.newRollout(tx, request, 'preparing', defaults);
    await tx.insertRollout({ rollout, latest: null });
    const claimed = await this.createAttempt(tx, changes, { rollout, latest: null }, rollout.start_time, workerId);
    if (workerId !== null)
      await this.updateWorker(tx, changes, workerId, (w) => afterStart(w, workerId, claimed.attempt, this.now()));
    return claimed;
  }

  /**
   * Claims up to `limit` queued rollouts, each with a new attempt (for `workerId` when given). Queue entries whose
   * rollout moved on are dropped (§5.9). A worker's record follows (§8.4): busy with the last claim, or idle.
   */
  async dequeue(tx: StorageTx, changes: ChangeSet, limit = 1, workerId: string | null = null) {
    const claimed: AttemptedRollout[] = [];
    while (claimed.length < limit) {
      const id = await tx.popQueueHead();
      if (id === null) break;
      const record = await tx.lockRollout(id);
      if (record && isQueuedRolloutStatus(record.rollout.status)) {
        claimed.push(await this.createAttempt(tx, changes, record, this.now(), workerId));
      }
    }
    if (workerId !== null && limit > 0) {
      const last = claimed.at(-1)?.attempt ?? null;
      await this.updateWorker(tx, changes, workerId, (w) => afterDequeue(w, workerId, last, this.now()));
    }
    return claimed;
  }

  /** `update` holds only the keys the client sent (§2.6); explicit nulls were already refused where not allowed. */
  async updateRollout(tx: StorageTx, changes: ChangeSet, rolloutId: string, update: UpdateRolloutRequest) {
    const record = await requireRollout(tx, rolloutId);
    let rollout: Rollout = { ...record.rollout };
    if ('input' in update) rollout.input = update.input;
    if ('mode' in update) rollout.mode = update.mode ?? null;
    if ('resources_id' in update) rollout.resources_id = update.resources_id ?? null;
    if ('metadata' in update) rollout.metadata = update.metadata ?? null;
    if (update.config) rollout.config = update.config;
    if (update.status) rollout = await this.applyRolloutStatus(tx, changes, rollout, update.status, record.latest);
    else await this.save(tx, changes, { rollout, latest: record.latest });
    return rollout;
  }

  /** Manual retry (§4.9): a new attempt now, whatever the budget. */
  async startAttempt(tx: StorageTx, changes: ChangeSet, rolloutId: string, workerId: string | null = null) {
    const record = await requireRollout(tx, rolloutId);
    const claimed = await this.createAttempt(tx, changes, record, this.now(), workerId);
    if (workerId !== null)
      await this.updateWorker(tx, changes, workerId, (w) => afterStart(w, workerId, claimed.attempt, this.now()));
    return claimed;
  }

  /** Dequeue, start and manual retry: a new `preparing` attempt, and the rollout `preparing` off the queue. */
  async createAttempt(
    tx: StorageTx,
    changes: ChangeSet,
    record: RolloutRecord,
    now: number,
    workerId: string | null = null,
  ): Promise<AttemptedRollout> {
    const attempt: Attempt = {
      rollout_id: record.rollout.rollout_id,
      attempt_id: newAttemptId(),
      sequence_id: (record.latest?.sequence_id ?? 0) + 1,
      start_time: now,
      end_time: null,
      status: 'preparing',
      worker_id: workerId,
      last_heartbeat_time: null,
      metadata: null,
    };
    await tx.insertAttempt(attempt);
    const rollout = await this.applyRolloutStatus(tx, changes, record.rollout, 'preparing', attempt);
    return { ...rollout, attempt } satisfies AttemptedRollout;
  }

  async updateAttempt(
    tx: StorageTx,
    changes: ChangeSet,
    rolloutId: string,
    attemptId: string,
    update: UpdateAttemptRequest,
  ): Promise<Attempt> {
    const record = await requireRollout(tx, rolloutId);
    const target = attemptId === 'latest' ? record.latest : await tx.getAttempt(rolloutId, attemptId);
    if (!target) throw new NotFoundError('Attempt', attemptId);
    let attempt: Attempt = { ...target };
    if (update.worker_id != null) attempt.worker_id = update.worker_id;
    if (update.last_heartbeat_time != null) attempt.last_heartbeat_time = update.last_heartbeat_time;
    if (update.metadata != null) attempt.metadata = update.metadata;
    if (update.status == null) {
      await tx.saveAttempt(attempt);
      // §8.4: naming a worker is a trigger of its own (a status update reaches the worker in setAttemptStatus).
      if (update.worker_id) await this.workerFollows(tx, changes, attempt);
      await this.save(tx, changes, {
        rollout: record.rollout,
        latest: isSame(record.latest, attempt) ? attempt : record.latest,
      });
      return attempt;
    }
    attempt = withAttemptStatus(attempt, update.status, this.now());
    await this.setAttemptStatus(tx, changes, record, attempt);
    return attempt;
  }

  /**
   * Stores an attempt whose status was set (by a client or the watchdog); when it is the latest attempt the rollout
   * follows it (§5.2). Updates of older attempts never move the rollout (§7.1 #4). Returns the rollout's new state.
   */
  async setAttemptStatus(tx: StorageTx, changes: ChangeSet, record: RolloutRecord, attempt: Attempt) {
    await tx.saveAttempt(attempt);
    if (attempt.worker_id) await this.workerFollows(tx, changes, attempt);
    if (!isSame(record.latest, attempt)) {
      changes.rollouts.set(record.rollout.rollout_id, record); // the attempts list changed, the rollout row did not
      return record;
    }
    const status = rolloutStatusForAttempt(attempt, record.rollout.config);
    const rollout = await this.applyRolloutStatus(tx, changes, record.rollout, status, attempt);
    return { rollout, latest: attempt };
  }

  /** §5.5 for one rollout: the first rule that fits, applied through the attempt-update path. */
  async watchdog(tx: StorageTx, changes: ChangeSet, rolloutId: string, now: number): Promise<boolean> {
    let record = await tx.lockRollout(rolloutId);
    const active = record?.rollout.status === 'preparing' || record?.rollout.status === 'running';
    if (!record?.latest || !active) return false;
    const steps = watchdogSteps(record.latest, record.rollout.config, now);
    for (const step of steps) {
      const latest: Attempt = record.latest!;
      const attempt = step.kind === 'repropagate' ? latest : withAttemptStatus(latest, step.status, now);
      record = await this.setAttemptStatus(tx, changes, record, attempt);
    }
    return steps.length > 0;
  }

  /**
   * Stores spans (§4.18): each new span raises its rollout's counter and is a heartbeat for its attempt; a duplicate
   * (same rollout, attempt and span id, §7d) changes nothing. A span with a negative sequence id (OTLP without
   * `agentlightning.span_sequence_id`) gets the next one, consecutively per rollout in request order. Heartbeats are applied once per attempt after its spans.
   * Spans of an unknown rollout or attempt get an error in their result and change nothing.
   */
  async addSpans(tx: StorageTx, changes: ChangeSet, spans: Span[]): Promise<SpanResult[]> {
    const results: SpanResult[] = new Array(spans.length);
    const byRollout = new Map<string, number[]>();
    spans.forEach((span, index) => {
      const list = byRollout.get(span.rollout_id);
      if (list) list.push(index);
      else byRollout.set(span.rollout_id, [index]);
    });
    for (const [rolloutId, indexes] of byRollout) {
      const record = await tx.lockRollout(rolloutId);
      if (!record) {
        for (const index of indexes) results[index] = { error: new NotFoundError('Rollout', rolloutId) };
        continue;
      }
      const stored = await this.addRolloutSpans(
        tx,
        record,
        indexes.map((i) => spans[i]!),
      );
      stored.results.forEach((result, k) => (results[indexes[k]!] = result));
      if (stored.beats.length > 0) {
        await this.heartbeat(tx, changes, record, stored.beats);
        changes.spans.add(rolloutId);
      }
    }
    return results;
  }

  /**
   * One rollout's spans, in request order. Duplicates are found before any id is allocated, so they cost no sequence
   * number; the counter is read once and raised once per batch, not written per span.
   */
  private async addRolloutSpans(tx: StorageTx, record: RolloutRecord, spans: Span[]) {
    const rolloutId = record.rollout.rollout_id;
    const results: SpanResult[] = new Array(spans.length);
    const attempts = new Map<string, Attempt | null>();
    const seen = new Set<string>();
    const toInsert: number[] = [];
    const needIds: number[] = [];
    for (let k = 0; k < spans.length; k++) {
      const span = spans[k]!;
      if (!attempts.has(span.attempt_id))
        attempts.set(span.attempt_id, await tx.getAttempt(rolloutId, span.attempt_id));
      if (!attempts.get(span.attempt_id)) {
        results[k] = { error: new NotFoundError('Attempt', span.attempt_id) };
        continue;
      }
      const key = `${span.attempt_id}\u0000${span.span_id}`;
      const repeated = seen.has(key);
      seen.add(key);
      if (span.sequence_id < 0 && !repeated) {
        const existing = await tx.getSpan(rolloutId, span.attempt_id, span.span_id);
        if (existing) {
          results[k] = { span: existing, created: false };
          continue;
        }
        needIds.push(k);
      }
      toInsert.push(k);
    }
    // Ids are handed out in request order: an explicit id raises the counter as it is met, as one span at a time would.
    const allocated = new Map<number, number>();
    let next = needIds.length > 0 ? await tx.reserveSpanSequenceIds(rolloutId, 0) : 0;
    const needsId = new Set(needIds);
    for (const k of toInsert) {
      if (needsId.has(k)) allocated.set(k, next++);
      else if (spans[k]!.sequence_id >= next) next = spans[k]!.sequence_id + 1;
    }
    const beats = new Map<string, Attempt>();
    let highest = 0;
    for (const k of toInsert) {
      const input = spans[k]!;
      // A repeat of a span allocated earlier in this batch keeps the -1 and is then found to be a duplicate.
      const span = allocated.has(k) ? { ...input, sequence_id: allocated.get(k)! } : input;
      const result = await tx.insertSpan(span);
      results[k] = result;
      if (!result.created) continue;
      highest = Math.max(highest, span.sequence_id);
      beats.set(span.attempt_id, attempts.get(span.attempt_id)!);
    }
    if (highest > 0) await tx.raiseSpanSequenceId(rolloutId, highest);
    return { results, beats: [...beats.values()] };
  }

  /** §5.4: the attempts that got spans are stamped now; the latest one also promotes its rollout to `running`. */
  private async heartbeat(tx: StorageTx, changes: ChangeSet, record: RolloutRecord, attempts: Attempt[]) {
    const now = this.now();
    let latest = record.latest;
    for (const attempt of attempts) {
      const beaten = withHeartbeat(attempt, now);
      await tx.saveAttempt(beaten);
      if (isSame(latest, beaten)) latest = beaten;
    }
    if (latest !== record.latest && isPromotedBySpan(record.rollout.status)) {
      await this.applyRolloutStatus(tx, changes, record.rollout, 'running', latest);
    } else {
      await this.save(tx, changes, { rollout: record.rollout, latest });
    }
  }

  /** `POST /workers/{id}` (§8.4). */
  async heartbeatWorker(
    tx: StorageTx,
    changes: ChangeSet,
    workerId: string,
    stats: Record<string, unknown> | undefined,
  ) {
    return this.updateWorker(tx, changes, workerId, (w) => afterHeartbeat(w, workerId, stats, this.now()));
  }

  /** `resourcesId` null: a new `rs-` id (§4.14); otherwise an upsert of that id (§4.16). Either becomes latest. */
  async writeResources(
    tx: StorageTx,
    changes: ChangeSet,
    resourcesId: string | null,
    resources: NamedResources,
  ): Promise<ResourcesUpdate> {
    let id = resourcesId ?? newResourcesId();
    while (resourcesId === null && (await tx.getResources(id))) id = newResourcesId();
    const now = this.now();
    const previous = resourcesId === null ? null : await tx.getResources(id);
    const update: ResourcesUpdate = {
      resources_id: id,
      create_time: previous?.create_time ?? now,
      update_time: now,
      version: (previous?.version ?? 0) + 1,
      resources,
    };
    await tx.writeResources(update);
    changes.resources = true;
    return update;
  }

  private async newRollout(
    tx: StorageTx,
    request: RolloutRequest,
    status: RolloutStatus,
    defaults: ResourcesDefault,
  ): Promise<Rollout> {
    let rolloutId = newRolloutId();
    while (await tx.getRollout(rolloutId)) rolloutId = newRolloutId();
    // §5.10: the latest snapshot when none is named; `/agl/v1` also counts "" as none, `/v1/agl` stores it (§8.3).
    const named = defaults === 'null-or-empty' ? request.resources_id || null : (request.resources_id ?? null);
    const resourcesId = named ?? (await tx.getLatestResources())?.resources_id ?? null;
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

  /** A rollout status change with its side effects (§4.8): end_time, queue membership, waiters. */
  private async applyRolloutStatus(
    tx: StorageTx,
    changes: ChangeSet,
    rollout: Rollout,
    status: RolloutStatus,
    latest: Attempt | null,
  ): Promise<Rollout> {
    const next = withRolloutStatus(rollout, status, this.now());
    if (isQueuedRolloutStatus(status)) await tx.enqueue(next.rollout_id);
    else await tx.removeFromQueue(next.rollout_id);
    await this.save(tx, changes, { rollout: next, latest });
    if (isTerminalRolloutStatus(status)) changes.terminal.push(next);
    return next;
  }

  private async save(tx: StorageTx, changes: ChangeSet, record: RolloutRecord): Promise<void> {
    await tx.saveRollout(record);
    changes.rollouts.set(record.rollout.rollout_id, record);
  }

  /** The attempt's worker follows its status (§8.4). */
  private async workerFollows(tx: StorageTx, changes: ChangeSet, attempt: Attempt): Promise<void> {
    const workerId = attempt.worker_id!;
    await this.updateWorker(tx, changes, workerId, (w) => afterAttemptUpdate(w, attempt, this.now()));
  }

  private async updateWorker(
    tx: StorageTx,
    changes: ChangeSet,
    workerId: string,
    next: (worker: Worker | null) => Worker,
  ): Promise<Worker> {
    const worker = next(await tx.lockWorker(workerId));
    await tx.saveWorker(worker);
    changes.workers.add(workerId);
    return worker;
  }
}

/** Which `resources_id` values mean "use the latest snapshot": `/agl/v1` takes null and "", `/v1/agl` only null. */
export type ResourcesDefault = 'null-or-empty' | 'null';

export type SpanResult = { span: Span; created: boolean } | { error: NotFoundError };

function isSame(a: Attempt | null, b: Attempt): boolean {
  return a !== null && a.sequence_id === b.sequence_id;
}
