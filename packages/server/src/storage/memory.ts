/** In-memory engine: the reference implementation of the storage contract, used by tests and `--memory`. */
import type { Attempt, ResourcesUpdate, Rollout, Span } from '@agl/schemas';
import type { BatchListener, RolloutRecord, StorageEngine } from './engine.js';

interface RolloutRow {
  rollout: Rollout;
  attempts: Attempt[]; // index = sequence_id - 1
}

export class MemoryEngine implements StorageEngine {
  readonly name = 'memory';
  private rollouts = new Map<string, RolloutRow>(); // Map keeps insertion (= creation) order
  private active = new Set<string>();
  /** FIFO as an insertion-ordered set: delete + add moves an entry to the tail. */
  private queue = new Set<string>();
  private resources = new Map<string, ResourcesUpdate>(); // re-inserted on write: iteration = write order
  private spans = new Map<string, Span[]>();
  private spanKeys = new Map<string, Span>();
  private counters = new Map<string, number>();

  private depth = 0;
  private batchListener: BatchListener = () => undefined;

  transaction<T>(fn: () => T): T {
    // Single-threaded and synchronous: nothing can interleave with fn. Writes land at once, so every outermost
    // transaction is a batch of its own, durable (as far as memory goes) when it returns.
    this.depth++;
    try {
      return fn();
    } finally {
      if (--this.depth === 0) this.batchListener(null);
    }
  }

  onBatchEnd(listener: BatchListener): void {
    this.batchListener = listener;
  }

  describeError(): null {
    return null; // nothing here fails on its own
  }

  flush(): null {
    return null;
  }

  close(): void {}

  insertRollout(rollout: Rollout): void {
    this.rollouts.set(rollout.rollout_id, { rollout: clone(rollout), attempts: [] });
    this.trackActive(rollout);
  }

  saveRollout(rollout: Rollout): void {
    const row = this.rollouts.get(rollout.rollout_id);
    if (row) row.rollout = clone(rollout);
    this.trackActive(rollout);
  }

  getRollout(rolloutId: string): RolloutRecord | null {
    const row = this.rollouts.get(rolloutId);
    return row ? toRecord(row) : null;
  }

  listRollouts(): RolloutRecord[] {
    return [...this.rollouts.values()].map(toRecord);
  }

  listRolloutsByIds(rolloutIds: string[]): RolloutRecord[] {
    const wanted = new Set(rolloutIds);
    return [...this.rollouts.values()].filter((row) => wanted.has(row.rollout.rollout_id)).map(toRecord);
  }

  listRolloutsJson(): Array<[string, string | null]> {
    return [...this.rollouts.values()].map((row) => {
      const latest = row.attempts.at(-1);
      return [JSON.stringify(row.rollout), latest ? JSON.stringify(latest) : null];
    });
  }

  listActiveRollouts(): RolloutRecord[] {
    return [...this.active].map((id) => toRecord(this.rollouts.get(id)!));
  }

  insertAttempt(attempt: Attempt): void {
    this.rollouts.get(attempt.rollout_id)?.attempts.push(clone(attempt));
  }

  saveAttempt(attempt: Attempt): void {
    const row = this.rollouts.get(attempt.rollout_id);
    if (row) row.attempts[attempt.sequence_id - 1] = clone(attempt);
  }

  getAttempt(rolloutId: string, attemptId: string): Attempt | null {
    const found = this.rollouts.get(rolloutId)?.attempts.find((a) => a.attempt_id === attemptId);
    return found ? clone(found) : null;
  }

  listAttempts(rolloutId: string): Attempt[] {
    return (this.rollouts.get(rolloutId)?.attempts ?? []).map(clone);
  }

  enqueue(rolloutId: string): void {
    this.queue.add(rolloutId);
  }

  dequeueRemove(rolloutId: string): void {
    this.queue.delete(rolloutId);
  }

  popQueueHead(): string | null {
    for (const id of this.queue) {
      this.queue.delete(id);
      return id;
    }
    return null;
  }

  isQueued(rolloutId: string): boolean {
    return this.queue.has(rolloutId);
  }

  writeResources(update: ResourcesUpdate): void {
    this.resources.delete(update.resources_id);
    this.resources.set(update.resources_id, clone(update));
  }

  getResources(resourcesId: string): ResourcesUpdate | null {
    const found = this.resources.get(resourcesId);
    return found ? clone(found) : null;
  }

  getLatestResources(): ResourcesUpdate | null {
    let latest: ResourcesUpdate | null = null;
    for (const value of this.resources.values()) latest = value;
    return latest ? clone(latest) : null;
  }

  listResources(): ResourcesUpdate[] {
    return [...this.resources.values()].reverse().map(clone);
  }

  insertSpan(span: Span): { span: Span; created: boolean } {
    const key = spanKey(span.rollout_id, span.attempt_id, span.span_id);
    const existing = this.spanKeys.get(key);
    if (existing) return { span: clone(existing), created: false };
    const stored = clone(span);
    this.spanKeys.set(key, stored);
    let list = this.spans.get(span.rollout_id);
    if (!list) this.spans.set(span.rollout_id, (list = []));
    list.push(stored);
    return { span: clone(stored), created: true };
  }

  listSpans(rolloutId: string, attemptId: string | null): Span[] {
    const list = this.spans.get(rolloutId) ?? [];
    return (attemptId === null ? list : list.filter((s) => s.attempt_id === attemptId)).map(clone);
  }

  getSpanCounter(rolloutId: string): number {
    return this.counters.get(rolloutId) ?? 0;
  }

  setSpanCounter(rolloutId: string, value: number): void {
    this.counters.set(rolloutId, value);
  }

  private trackActive(rollout: Rollout): void {
    if (rollout.status === 'preparing' || rollout.status === 'running') this.active.add(rollout.rollout_id);
    else this.active.delete(rollout.rollout_id);
  }
}

function toRecord(row: RolloutRow): RolloutRecord {
  const latest = row.attempts.at(-1);
  return { rollout: clone(row.rollout), latest: latest ? clone(latest) : null };
}

export function spanKey(rolloutId: string, attemptId: string, spanId: string): string {
  return JSON.stringify([rolloutId, attemptId, spanId]);
}

/** Stored values are copied in and out so callers can never mutate the store behind its back. */
function clone<T>(value: T): T {
  return structuredClone(value);
}
