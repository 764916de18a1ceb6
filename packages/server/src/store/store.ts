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
  type AttemptQuery,
  type AttemptSortKey,
  type PaginatedResult,
  type ResourcesQuery,
  type ResourcesSortKey,
  type RolloutQuery,
  type RolloutSortKey,
  type SpanQuery,
  type SpanSortKey,
  type Statistics,
  type Worker,
  type WorkerQuery,
  type WorkerSortKey,
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
import type { Checked, RolloutRecord, StorageEngine, StorageTx } from '../storage/engine.js';
import { pageRequest, type Page } from '../storage/queries.js';
import { ChangeSet } from './changes.js';
import { HealthMonitor } from './health.js';
import { epochSeconds } from './ids.js';
import { Lifecycle, type ResourcesDefault, type SpanResult } from './lifecycle.js';
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
  readonly versions: StoreVersions;
  private readonly waits = new WaitRegistry();
  private readonly watchdog: Watchdog;
  private readonly rolloutList: RolloutListView;
  private readonly lifecycle: Lifecycle;
  private readonly now: () => number;
  private readonly log: StoreLogger;
  private readonly startedAt: number;

  constructor(
    private readonly engine: StorageEngine,
    options: StoreOptions = {},
  ) {
    this.now = options.clock ?? epochSeconds;
    this.startedAt = this.now();
    this.log = options.log ?? silent;
    this.health = new HealthMonitor(this.now);
    this.versions = new StoreVersions(engine.versions);
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
        ...(engine.mayRunWatchdog ? { mayRun: () => engine.mayRunWatchdog!() } : {}),
      },
      this.now,
      options.watchdog,
    );
    engine.onChanges((changes, local) => this.onCommitted(changes, local));
    engine.onCommitFailed((error) => this.onCommitFailed(error));
    engine.onOutage?.((error) => (error ? this.onOutage(error) : this.onReconnected()));
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

  /** Appends rollouts to the queue in order (§4.2, §8.1); `defaults` says which `resources_id` means "latest". */
  enqueueRollouts(requests: RolloutRequest[], defaults: ResourcesDefault = 'null-or-empty'): Promise<Rollout[]> {
    return this.write(async (tx, changes) => {
      const rollouts: Rollout[] = [];
      for (const request of requests) rollouts.push(await this.lifecycle.enqueue(tx, changes, request, defaults));
      return rollouts;
    });
  }

  async enqueueRollout(request: RolloutRequest): Promise<Rollout> {
    return (await this.enqueueRollouts([request]))[0]!;
  }

  /** Starts a rollout now with its first attempt (§4.4), for `workerId` when given (§8.4). */
  startRollout(
    request: RolloutRequest,
    workerId: string | null = null,
    defaults: ResourcesDefault = 'null-or-empty',
  ): Promise<AttemptedRollout> {
    return this.write((tx, changes) => this.lifecycle.start(tx, changes, request, workerId, defaults));
  }

  /** Claims up to `limit` queued rollouts (§4.3, §8.1). */
  dequeueRollouts(limit: number, workerId: string | null = null): Promise<AttemptedRollout[]> {
    return this.write((tx, changes) => this.lifecycle.dequeue(tx, changes, limit, workerId));
  }

  async dequeueRollout(): Promise<AttemptedRollout | null> {
    return (await this.dequeueRollouts(1))[0] ?? null;
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

  /** One page of rollouts, each with its latest attempt (§8.2). */
  queryRollouts(query: Checked<RolloutQuery, RolloutSortKey>): Promise<PaginatedResult<RolloutWithAttempt>> {
    return this.engine.read(async (r) => paginated(query, await r.queryRollouts(bounded(query)), withLatest));
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

  /** A new attempt now (§4.9), for `workerId` when given (§8.4). */
  startAttempt(rolloutId: string, workerId: string | null = null): Promise<AttemptedRollout> {
    return this.write((tx, changes) => this.lifecycle.startAttempt(tx, changes, rolloutId, workerId));
  }

  listAttempts(rolloutId: string): Promise<Attempt[]> {
    return this.engine.read(async (r) => r.listAttempts(rolloutId));
  }

  queryAttempts(rolloutId: string, query: Checked<AttemptQuery, AttemptSortKey>): Promise<PaginatedResult<Attempt>> {
    return this.engine.read(async (r) =>
      paginated(query, await r.queryAttempts(rolloutId, pageRequest(bounded(query)))),
    );
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

  queryResources(query: Checked<ResourcesQuery, ResourcesSortKey>): Promise<PaginatedResult<ResourcesUpdate>> {
    return this.engine.read(async (r) => paginated(query, await r.queryResources(bounded(query))));
  }

  getResources(resourcesId: string): Promise<ResourcesUpdate | null> {
    return this.engine.read(async (r) => r.getResources(resourcesId));
  }

  getLatestResources(): Promise<ResourcesUpdate | null> {
    return this.engine.read(async (r) => r.getLatestResources());
  }

  // ---- spans ------------------------------------------------------------------------------------------------

  /** §4.18: a new span raises the counter and is a heartbeat; a duplicate (§7d) changes nothing; 404 if unknown. */
  async addSpan(span: Span): Promise<{ span: Span; created: boolean }> {
    const [result] = await this.addSpans([span]);
    if ('error' in result!) throw result.error;
    return result!;
  }

  /** A batch (OTLP): each span stored or skipped on its own; negative sequence ids are allocated (§8.7). */
  addSpans(spans: Span[]): Promise<SpanResult[]> {
    return this.write((tx, changes) => this.lifecycle.addSpans(tx, changes, spans));
  }

  /** `attemptId` `latest` is the attempt with the highest sequence id (§7.1 #7). */
  querySpans(rolloutId: string, attemptId: string | null): Promise<Span[]> {
    return this.engine.read(async (r) => {
      if (attemptId !== 'latest') return r.listSpans(rolloutId, attemptId);
      const latest = (await r.getRollout(rolloutId))?.latest;
      return latest ? r.listSpans(rolloutId, latest.attempt_id) : [];
    });
  }

  /** One page of a rollout's spans (§8.2); `attempt_id=latest` with no attempt is an empty page. */
  querySpansPage(query: Checked<SpanQuery, SpanSortKey>): Promise<PaginatedResult<Span>> {
    return this.engine.read(async (r) => {
      if (query.attempt_id !== 'latest') return paginated(query, await r.querySpans(bounded(query)));
      const latest = (await r.getRollout(query.rollout_id))?.latest;
      if (!latest) return paginated(query, { items: [], total: 0 });
      return paginated(query, await r.querySpans(bounded({ ...query, attempt_id: latest.attempt_id })));
    });
  }

  /** §5.7: per-rollout counter, no validation of the ids. */
  nextSpanSequenceId(rolloutId: string): Promise<number> {
    return this.write(async (tx) => tx.nextSpanSequenceId(rolloutId));
  }

  // ---- workers and statistics -------------------------------------------------------------------------------

  queryWorkers(query: Checked<WorkerQuery, WorkerSortKey>): Promise<PaginatedResult<Worker>> {
    return this.engine.read(async (r) => paginated(query, await r.queryWorkers(bounded(query))));
  }

  getWorker(workerId: string): Promise<Worker | null> {
    return this.engine.read(async (r) => r.getWorker(workerId));
  }

  /** A worker's heartbeat (§8.4), with its system snapshot when sent. */
  heartbeatWorker(workerId: string, stats: Record<string, unknown> | undefined): Promise<Worker> {
    return this.write((tx, changes) => this.lifecycle.heartbeatWorker(tx, changes, workerId, stats));
  }

  /** §8.6: what is stored, and how long this store has been up. */
  statistics(): Promise<Statistics> {
    return this.engine.read(async (r) => {
      const counts = await r.counts();
      return {
        name: STORE_NAMES[this.engine.kind] ?? this.engine.kind,
        total_rollouts: counts.rollouts,
        total_attempts: counts.attempts,
        total_spans: counts.spans,
        total_resources: counts.resources,
        total_workers: counts.workers,
        uptime: this.now() - this.startedAt,
      };
    });
  }

  // ---- waits ------------------------------------------------------------------------------------------------

  /**
   * The listed rollouts that are (or become) terminal before `timeout`. `/agl/v1` answers in completion order, with
   * those already terminal first; `/v1/agl` in request order (§8.3).
   */
  async waitForRollouts(
    rolloutIds: string[],
    timeout: number | null,
    signal: AbortSignal,
    order: 'completion' | 'request' = 'completion',
  ): Promise<Rollout[]> {
    const finished = await this.waits.wait({
      ids: rolloutIds,
      read: (ids) => this.engine.read(async (r) => (await r.listRolloutsByIds(ids)).map((c) => c.rollout)),
      isTerminal: (rollout) => isTerminalRolloutStatus(rollout.status),
      timeout,
      signal,
    });
    if (order === 'completion') return finished;
    const byId = new Map(finished.map((r) => [r.rollout_id, r]));
    return [...new Set(rolloutIds)].flatMap((id) => byId.get(id) ?? []);
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

  /** A shared database went out of reach: health says so while it lasts (requests fail with 503 meanwhile). */
  private onOutage(error: Error): void {
    const problem = this.health.failed('database', error);
    if (problem.failures === 1) this.log.error(`lost the database: ${error.message}`);
  }

  /**
   * Back in touch with a shared database after an outage. Other servers' changes in between were not announced:
   * rebuild what memory derived from changes, and re-read every rollout a wait is pending on (the notification
   * that it finished may be among those lost).
   */
  private onReconnected(): void {
    this.health.succeeded('database');
    this.log.warn('the database is reachable again');
    this.guard('resyncing after reconnecting', () => {
      this.versions.invalidateAll();
      this.rolloutList.reset();
      this.watchdog.forgetEarliestDue();
    });
    const pending = this.waits.pendingIds();
    if (pending.length === 0) return;
    this.engine
      .read(async (r) => r.listRolloutsByIds(pending))
      .then(
        (records) => {
          for (const { rollout } of records) {
            if (isTerminalRolloutStatus(rollout.status)) this.guard('waking waits', () => this.waits.notify(rollout));
          }
        },
        (error: unknown) => this.onOutage(error instanceof Error ? error : new Error(String(error))),
      );
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}

/** The store's name in statistics (§8.6). */
const STORE_NAMES: Record<string, string> = {
  memory: 'InMemoryLightningStore',
  sqlite: 'SqliteLightningStore',
  postgres: 'PostgresLightningStore',
};

/**
 * `limit` and `offset` as an engine can take them: a page of 10^23 is no limit at all, and SQL engines refuse
 * integers past 64 bits. The answer still echoes what was asked (`paginated`).
 */
function bounded<Q extends { limit: number; offset: number }>(query: Q): Q {
  const max = Number.MAX_SAFE_INTEGER;
  if (query.limit <= max && query.offset <= max) return query;
  return { ...query, limit: query.limit > max ? -1 : query.limit, offset: Math.min(query.offset, max) };
}

/** A page with the request's `limit` and `offset` echoed (§8.2). */
function paginated<T, U = T>(
  query: { limit: number; offset: number },
  page: Page<T>,
  map?: (item: T) => U,
): PaginatedResult<U> {
  const items = map ? page.items.map(map) : (page.items as unknown as U[]);
  return { items, limit: query.limit, offset: query.offset, total: page.total };
}

function withLatest(record: RolloutRecord): RolloutWithAttempt {
  return record.latest ? { ...record.rollout, attempt: record.latest } : record.rollout;
}
