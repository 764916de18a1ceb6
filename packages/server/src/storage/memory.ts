/**
 * In-memory engine: the reference implementation of the storage contract, used by tests and `--memory`.
 *
 * Writes apply at once and are recorded in an undo log, so a transaction that throws halfway leaves nothing behind.
 * Stored objects are frozen (the store never mutates what it wrote; freezing makes any slip throw in the tests,
 * which all run on this engine too).
 */
import type {
  Attempt,
  AttemptSortKey,
  ResourcesQuery,
  ResourcesSortKey,
  ResourcesUpdate,
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
import type {
  ChangeListener,
  Checked,
  RolloutRecord,
  StorageEngine,
  StorageReader,
  StorageTx,
  StoreCounts,
} from './engine.js';
import {
  attemptSortValue,
  contains,
  equals,
  inList,
  resourcesSortValue,
  rolloutSortValue,
  selectPage,
  spanSortValue,
  workerSortValue,
  type Condition,
  type Page,
  pageRequest,
  type PageRequest,
} from './queries.js';
import { rolloutColumns } from './columns.js';
import { SerialQueue } from './serial.js';

interface RolloutRow {
  record: RolloutRecord;
  attempts: Attempt[]; // index = sequence_id - 1
}

export class MemoryEngine implements StorageEngine {
  readonly kind = 'memory';
  readonly shared = false;
  private readonly data = new MemoryData();
  private readonly serial = new SerialQueue();
  private changeListener: ChangeListener = () => undefined;

  write<T>(changes: ChangeSet, fn: (tx: StorageTx) => Promise<T>): Promise<T> {
    return this.serial.run(async () => {
      const undo: Array<() => void> = [];
      try {
        const result = await fn(this.data.tx(undo));
        this.changeListener(changes, true);
        return result;
      } catch (error) {
        for (const step of undo.reverse()) step();
        throw error;
      }
    });
  }

  read<T>(fn: (reader: StorageReader) => Promise<T>): Promise<T> {
    return this.serial.run(() => fn(this.data));
  }

  onChanges(listener: ChangeListener): void {
    this.changeListener = listener;
  }

  onCommitFailed(): void {
    // Nothing here fails after a transaction has run.
  }

  describeError(): null {
    return null;
  }

  async close(): Promise<void> {}
}

/** The data and its reads; `tx(undo)` adds the writes, each recording how to take itself back. */
class MemoryData implements StorageReader {
  private readonly rollouts = new Map<string, RolloutRow>(); // Map keeps insertion (= creation) order
  /**
   * The FIFO: rollout id → enqueue number. Entries are added at the tail, so insertion order is queue order —
   * until an undo puts a popped entry back, which marks the map for re-sorting (undo is rare; pops are not).
   */
  private readonly queue = new Map<string, number>();
  private queueSeq = 0;
  private queueUnsorted = false;
  private readonly resources = new Map<string, ResourcesUpdate>(); // re-inserted on write: iteration = write order
  /** Resources ids in creation order (v0.3 lists them so without a sort key). */
  private readonly resourcesCreated = new Map<string, true>();
  private readonly workers = new Map<string, Worker>(); // insertion order
  private readonly spans = new Map<string, Span[]>();
  private readonly spanKeys = new Map<string, Span>();
  private readonly counters = new Map<string, number>();
  /** Active rollouts with a due time. */
  private readonly due = new Map<string, number>();

  getRollout(rolloutId: string): RolloutRecord | null {
    return this.rollouts.get(rolloutId)?.record ?? null;
  }

  listRollouts(): RolloutRecord[] {
    return [...this.rollouts.values()].map((row) => row.record);
  }

  listRolloutsByIds(rolloutIds: string[]): RolloutRecord[] {
    const wanted = new Set(rolloutIds);
    return this.listRollouts().filter((record) => wanted.has(record.rollout.rollout_id));
  }

  listRolloutsJson(): Array<[string, string | null]> {
    return this.listRollouts().map(({ rollout, latest }) => [
      JSON.stringify(rollout),
      latest ? JSON.stringify(latest) : null,
    ]);
  }

  listDueRollouts(now: number, limit: number): string[] {
    const ids: string[] = [];
    for (const [id, dueAt] of this.due) {
      if (dueAt < now) ids.push(id);
      if (ids.length >= limit) break;
    }
    return ids;
  }

  nextDueTime(): number | null {
    let min: number | null = null;
    for (const dueAt of this.due.values()) if (min === null || dueAt < min) min = dueAt;
    return min;
  }

  getAttempt(rolloutId: string, attemptId: string): Attempt | null {
    return this.rollouts.get(rolloutId)?.attempts.find((a) => a.attempt_id === attemptId) ?? null;
  }

  listAttempts(rolloutId: string): Attempt[] {
    return [...(this.rollouts.get(rolloutId)?.attempts ?? [])];
  }

  getResources(resourcesId: string): ResourcesUpdate | null {
    return this.resources.get(resourcesId) ?? null;
  }

  getLatestResources(): ResourcesUpdate | null {
    let latest: ResourcesUpdate | null = null;
    for (const value of this.resources.values()) latest = value;
    return latest;
  }

  listResources(): ResourcesUpdate[] {
    return [...this.resources.values()].reverse();
  }

  listSpans(rolloutId: string, attemptId: string | null): Span[] {
    const list = this.spans.get(rolloutId) ?? [];
    return attemptId === null ? [...list] : list.filter((s) => s.attempt_id === attemptId);
  }

  getSpan(rolloutId: string, attemptId: string, spanId: string): Span | null {
    return this.spanKeys.get(JSON.stringify([rolloutId, attemptId, spanId])) ?? null;
  }

  queryRollouts(query: Checked<RolloutQuery, RolloutSortKey>): Page<RolloutRecord> {
    const conditions: Array<Condition<RolloutRecord>> = [
      inList(query.status_in, (r) => r.rollout.status),
      inList(query.rollout_id_in, (r) => r.rollout.rollout_id),
      contains(query.rollout_id_contains, (r) => r.rollout.rollout_id),
      inList(query.mode_in, (r) => r.rollout.mode),
    ];
    return selectPage(this.listRollouts(), conditions, query.filter_logic, pageRequest(query), rolloutSortValue);
  }

  queryAttempts(rolloutId: string, request: PageRequest<AttemptSortKey>): Page<Attempt> {
    return selectPage(this.listAttempts(rolloutId), [], 'and', request, attemptSortValue);
  }

  querySpans(query: Checked<SpanQuery, SpanSortKey>): Page<Span> {
    const conditions: Array<Condition<Span>> = [
      equals(query.trace_id, (s) => s.trace_id),
      contains(query.trace_id_contains, (s) => s.trace_id),
      equals(query.span_id, (s) => s.span_id),
      contains(query.span_id_contains, (s) => s.span_id),
      equals(query.parent_id, (s) => s.parent_id),
      contains(query.parent_id_contains, (s) => s.parent_id),
      equals(query.name, (s) => s.name),
      contains(query.name_contains, (s) => s.name),
    ];
    // The rollout and attempt always apply; the optional conditions combine by `filter_logic` among themselves.
    const spans = this.listSpans(query.rollout_id, query.attempt_id);
    return selectPage(spans, conditions, query.filter_logic, pageRequest(query), spanSortValue);
  }

  queryResources(query: Checked<ResourcesQuery, ResourcesSortKey>): Page<ResourcesUpdate> {
    const created = [...this.resourcesCreated.keys()].map((id) => this.resources.get(id)!);
    const conditions: Array<Condition<ResourcesUpdate>> = [
      equals(query.resources_id, (r) => r.resources_id),
      contains(query.resources_id_contains, (r) => r.resources_id),
    ];
    return selectPage(created, conditions, 'and', pageRequest(query), resourcesSortValue);
  }

  queryWorkers(query: Checked<WorkerQuery, WorkerSortKey>): Page<Worker> {
    const conditions: Array<Condition<Worker>> = [
      inList(query.status_in, (w) => w.status),
      contains(query.worker_id_contains, (w) => w.worker_id),
    ];
    return selectPage([...this.workers.values()], conditions, query.filter_logic, pageRequest(query), workerSortValue);
  }

  getWorker(workerId: string): Worker | null {
    return this.workers.get(workerId) ?? null;
  }

  counts(): StoreCounts {
    let attempts = 0;
    for (const row of this.rollouts.values()) attempts += row.attempts.length;
    return {
      rollouts: this.rollouts.size,
      attempts,
      spans: this.spanKeys.size,
      resources: this.resources.size,
      workers: this.workers.size,
    };
  }

  tx(undo: Array<() => void>): StorageTx {
    const restoreKey = <K, V>(map: Map<K, V>, key: K) => {
      const had = map.has(key);
      const previous = map.get(key);
      undo.push(() => (had ? map.set(key, previous as V) : map.delete(key)));
    };
    const tx: StorageTx = Object.assign(Object.create(this) as MemoryData, {
      lockRollout: (rolloutId: string) => this.getRollout(rolloutId),
      insertRollout: (record: RolloutRecord) => {
        restoreKey(this.rollouts, record.rollout.rollout_id);
        this.rollouts.set(record.rollout.rollout_id, { record: deepFreeze(record), attempts: [] });
        this.setDue(record, undo);
      },
      saveRollout: (record: RolloutRecord) => {
        const row = this.rollouts.get(record.rollout.rollout_id);
        if (!row) return;
        const previous = row.record;
        undo.push(() => (row.record = previous));
        row.record = deepFreeze(record);
        this.setDue(record, undo);
      },
      insertAttempt: (attempt: Attempt) => {
        const row = this.rollouts.get(attempt.rollout_id);
        if (!row) return;
        row.attempts.push(deepFreeze(attempt));
        undo.push(() => row.attempts.pop());
      },
      saveAttempt: (attempt: Attempt) => {
        const row = this.rollouts.get(attempt.rollout_id);
        const index = attempt.sequence_id - 1;
        if (!row || index >= row.attempts.length) return;
        const previous = row.attempts[index]!;
        undo.push(() => (row.attempts[index] = previous));
        row.attempts[index] = deepFreeze(attempt);
      },
      enqueue: (rolloutId: string) => {
        if (this.queue.has(rolloutId)) return;
        this.queue.set(rolloutId, ++this.queueSeq);
        undo.push(() => this.queue.delete(rolloutId));
      },
      removeFromQueue: (rolloutId: string) => {
        this.takeFromQueue(rolloutId, undo);
      },
      popQueueHead: () => {
        if (this.queueUnsorted) this.sortQueue();
        for (const id of this.queue.keys()) {
          this.takeFromQueue(id, undo);
          return id;
        }
        return null;
      },
      writeResources: (update: ResourcesUpdate) => {
        const snapshot = [...this.resources];
        undo.push(() => {
          this.resources.clear();
          for (const [key, value] of snapshot) this.resources.set(key, value);
        });
        if (!this.resourcesCreated.has(update.resources_id)) {
          this.resourcesCreated.set(update.resources_id, true);
          undo.push(() => this.resourcesCreated.delete(update.resources_id));
        }
        this.resources.delete(update.resources_id);
        this.resources.set(update.resources_id, deepFreeze(update));
      },
      insertSpan: (span: Span) => {
        const key = JSON.stringify([span.rollout_id, span.attempt_id, span.span_id]);
        const existing = this.spanKeys.get(key);
        if (existing) return { span: existing, created: false };
        const stored = deepFreeze(span);
        this.spanKeys.set(key, stored);
        let list = this.spans.get(span.rollout_id);
        if (!list) this.spans.set(span.rollout_id, (list = []));
        const spans = list;
        spans.push(stored);
        undo.push(() => {
          this.spanKeys.delete(key);
          spans.pop();
        });
        return { span: stored, created: true };
      },
      nextSpanSequenceId: (rolloutId: string) => {
        restoreKey(this.counters, rolloutId);
        const next = (this.counters.get(rolloutId) ?? 0) + 1;
        this.counters.set(rolloutId, next);
        return next;
      },
      raiseSpanSequenceId: (rolloutId: string, value: number) => {
        if (value <= (this.counters.get(rolloutId) ?? 0)) return;
        restoreKey(this.counters, rolloutId);
        this.counters.set(rolloutId, value);
      },
      reserveSpanSequenceIds: (rolloutId: string, count: number) => {
        restoreKey(this.counters, rolloutId);
        const first = (this.counters.get(rolloutId) ?? 0) + 1;
        this.counters.set(rolloutId, first + count - 1);
        return first;
      },
      insertSpans: (spans: Span[]) => spans.map((span) => tx.insertSpan(span) as { span: Span; created: boolean }),
      lockWorker: (workerId: string) => this.getWorker(workerId),
      saveWorker: (worker: Worker) => {
        restoreKey(this.workers, worker.worker_id);
        this.workers.set(worker.worker_id, deepFreeze(worker));
      },
    } satisfies Omit<StorageTx, keyof StorageReader>);
    return tx;
  }

  private setDue(record: RolloutRecord, undo: Array<() => void>): void {
    const rolloutId = record.rollout.rollout_id;
    const { dueAt } = rolloutColumns(record);
    const had = this.due.has(rolloutId);
    const previous = this.due.get(rolloutId);
    undo.push(() => (had ? this.due.set(rolloutId, previous!) : this.due.delete(rolloutId)));
    if (dueAt === null) this.due.delete(rolloutId);
    else this.due.set(rolloutId, dueAt);
  }

  private takeFromQueue(rolloutId: string, undo: Array<() => void>): void {
    const seq = this.queue.get(rolloutId);
    if (seq === undefined) return;
    this.queue.delete(rolloutId);
    undo.push(() => {
      this.queue.set(rolloutId, seq);
      this.queueUnsorted = true;
    });
  }

  private sortQueue(): void {
    const entries = [...this.queue].sort((a, b) => a[1] - b[1]);
    this.queue.clear();
    for (const [id, seq] of entries) this.queue.set(id, seq);
    this.queueUnsorted = false;
  }
}

/** Freezes a stored value all the way down (values are bounded in depth at the HTTP edge). */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
