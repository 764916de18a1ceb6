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
} from '@agl/schemas';
import type { RolloutRecord, StorageTx } from '../storage/engine.js';
import type { ChangeSet } from './changes.js';
import { NotFoundError } from './errors.js';
import { newAttemptId, newResourcesId, newRolloutId } from './ids.js';
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

  async enqueue(tx: StorageTx, changes: ChangeSet, request: RolloutRequest): Promise<Rollout> {
    const rollout = await this.newRollout(tx, request, 'queuing');
    await tx.insertRollout({ rollout, latest: null });
    await tx.enqueue(rollout.rollout_id);
    changes.rollouts.set(rollout.rollout_id, { rollout, latest: null });
    return rollout;
  }

  async start(tx: StorageTx, changes: ChangeSet, request: RolloutRequest): Promise<AttemptedRollout> {
    const rollout = await this.newRollout(tx, request, 'preparing');
    await tx.insertRollout({ rollout, latest: null });
    return this.createAttempt(tx, changes, { rollout, latest: null }, rollout.start_time);
  }

  /** Pops queue entries until one is still queued (stale entries are dropped, §5.9), or the queue is empty. */
  async dequeue(tx: StorageTx, changes: ChangeSet): Promise<AttemptedRollout | null> {
    for (;;) {
      const id = await tx.popQueueHead();
      if (id === null) return null;
      const record = await tx.lockRollout(id);
      if (record && isQueuedRolloutStatus(record.rollout.status)) {
        return this.createAttempt(tx, changes, record, this.now());
      }
    }
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
  async startAttempt(tx: StorageTx, changes: ChangeSet, rolloutId: string): Promise<AttemptedRollout> {
    return this.createAttempt(tx, changes, await requireRollout(tx, rolloutId), this.now());
  }

  /** Dequeue, start and manual retry: a new `preparing` attempt, and the rollout `preparing` off the queue. */
  async createAttempt(tx: StorageTx, changes: ChangeSet, record: RolloutRecord, now: number) {
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

  /** §4.18: a new span raises the counter and is a heartbeat; a duplicate (§7d) changes nothing. */
  async addSpan(tx: StorageTx, changes: ChangeSet, span: Span): Promise<{ span: Span; created: boolean }> {
    const record = await requireRollout(tx, span.rollout_id);
    const attempt = await tx.getAttempt(span.rollout_id, span.attempt_id);
    if (!attempt) throw new NotFoundError('Attempt', span.attempt_id);
    const result = await tx.insertSpan(span);
    if (!result.created) return result;
    changes.spans.add(span.rollout_id);
    await tx.raiseSpanSequenceId(span.rollout_id, span.sequence_id);
    const now = this.now();
    const beaten = withHeartbeat(attempt, now);
    await tx.saveAttempt(beaten);
    const isLatest = isSame(record.latest, attempt);
    if (isLatest && isPromotedBySpan(record.rollout.status)) {
      await this.applyRolloutStatus(tx, changes, record.rollout, 'running', beaten);
    } else {
      await this.save(tx, changes, { rollout: record.rollout, latest: isLatest ? beaten : record.latest });
    }
    return result;
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

  private async newRollout(tx: StorageTx, request: RolloutRequest, status: RolloutStatus): Promise<Rollout> {
    let rolloutId = newRolloutId();
    while (await tx.getRollout(rolloutId)) rolloutId = newRolloutId();
    const resourcesId = request.resources_id || (await tx.getLatestResources())?.resources_id || null;
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
}

function isSame(a: Attempt | null, b: Attempt): boolean {
  return a !== null && a.sequence_id === b.sequence_id;
}
