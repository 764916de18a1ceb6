/**
 * Typed client for the v0.3 generation (`/v1/agl`, docs/protocol.md §8): batch queue calls with worker ids, paginated
 * queries (`PaginatedResult<T>`), workers and statistics. Same transport and failure policy as the `/agl/v1` client.
 * Spans travel over OTLP in v0.3 runners; `addSpan` here is the direct route reward spans take.
 */
import {
  V1_API_PREFIX,
  type Attempt,
  type AttemptQuery,
  type AttemptedRollout,
  type HealthResponse,
  type NextSequenceIdResponse,
  type PaginatedResult,
  type ResourcesQuery,
  type ResourcesUpdate,
  type Rollout,
  type RolloutQuery,
  type RolloutWithAttempt,
  type Span,
  type SpanQuery,
  type Statistics,
  type Worker,
  type WorkerQuery,
} from '@agl/schemas';
import { isTransient } from './client.js';
import { StoreError } from './errors.js';
import { callJson, transportFor, type CallSpec, type ClientOptions, type RequestOptions } from './transport.js';
import {
  ATTEMPT_UPDATE_KEYS,
  ROLLOUT_UPDATE_KEYS,
  pickPresent,
  type AttemptUpdate,
  type NamedResourcesInput,
  type RolloutInput,
  type RolloutUpdate,
  type SpanInput,
} from './types.js';

/** A query as a caller writes it: every field optional (the server fills the defaults, §8.2). */
export type Query<Q> = { [K in keyof Q]?: Q[K] | null };

const seg = encodeURIComponent;

export class LightningStoreV1Client {
  readonly apiUrl: string;
  private readonly transport: ReturnType<typeof transportFor>;

  constructor(options: ClientOptions) {
    this.transport = transportFor(options, V1_API_PREFIX);
    this.apiUrl = this.transport.apiUrl;
  }

  private call<T>(spec: CallSpec): Promise<T> {
    return callJson<T>(this.transport, spec);
  }

  /**
   * A paginated query: GET with query parameters, or the equivalent `POST …/search` when a filter list is empty (a
   * query string cannot say "an empty list", which matches nothing, §8.2).
   */
  private query<T>(path: string, query: object, opts?: RequestOptions): Promise<PaginatedResult<T>> {
    const hasEmptyList = Object.values(query).some((value) => Array.isArray(value) && value.length === 0);
    if (!hasEmptyList) return this.call({ ...opts, method: 'GET', path: `${path}${queryString(query)}` });
    const body = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== null && value !== undefined));
    return this.call({ ...opts, method: 'POST', path: `${path}/search`, body });
  }

  health(opts?: RequestOptions): Promise<HealthResponse> {
    return this.call({ ...opts, method: 'GET', path: '/health' });
  }

  statistics(opts?: RequestOptions): Promise<Statistics> {
    return this.call({ ...opts, method: 'GET', path: '/statistics' });
  }

  // ---- queue and rollouts ----

  /** Appends the rollouts to the queue, answered in request order. Retried like every write, so it may duplicate. */
  enqueueRollouts(rollouts: RolloutInput[], opts?: RequestOptions): Promise<Rollout[]> {
    return this.call({ ...opts, method: 'POST', path: '/queues/rollouts/enqueue', body: { rollouts } });
  }

  /**
   * Claims up to `limit` queued rollouts for `workerId`. Sent exactly once (a retried claim could take more rollouts
   * than were handed out); a transient failure reads as "nothing to do now" (`[]`), as in the reference client.
   */
  async dequeueRollouts(
    { limit = 1, workerId = null }: { limit?: number; workerId?: string | null } = {},
    opts?: RequestOptions,
  ): Promise<AttemptedRollout[]> {
    try {
      const body = { limit, worker_id: workerId };
      return await this.call({ ...opts, method: 'POST', path: '/queues/rollouts/dequeue', body, noRetry: true });
    } catch (error) {
      if (error instanceof StoreError && isTransient(error)) return [];
      throw error;
    }
  }

  startRollout(input: RolloutInput, workerId: string | null = null, opts?: RequestOptions): Promise<AttemptedRollout> {
    return this.call({ ...opts, method: 'POST', path: '/rollouts', body: { ...input, worker_id: workerId } });
  }

  /** One page of rollouts, each with its latest attempt when it has one. */
  queryRollouts(query: Query<RolloutQuery> = {}, opts?: RequestOptions): Promise<PaginatedResult<RolloutWithAttempt>> {
    return this.query('/rollouts', query, opts);
  }

  getRollout(rolloutId: string, opts?: RequestOptions): Promise<RolloutWithAttempt | null> {
    return this.call({ ...opts, method: 'GET', path: `/rollouts/${seg(rolloutId)}` });
  }

  updateRollout(rolloutId: string, update: RolloutUpdate, opts?: RequestOptions): Promise<Rollout> {
    const body = pickPresent(update, ROLLOUT_UPDATE_KEYS);
    return this.call({ ...opts, method: 'POST', path: `/rollouts/${seg(rolloutId)}`, body });
  }

  // ---- attempts ----

  startAttempt(rolloutId: string, workerId: string | null = null, opts?: RequestOptions): Promise<AttemptedRollout> {
    const path = `/rollouts/${seg(rolloutId)}/attempts`;
    return this.call({ ...opts, method: 'POST', path, body: { worker_id: workerId } });
  }

  queryAttempts(
    rolloutId: string,
    query: Query<AttemptQuery> = {},
    opts?: RequestOptions,
  ): Promise<PaginatedResult<Attempt>> {
    return this.query(`/rollouts/${seg(rolloutId)}/attempts`, query, opts);
  }

  getLatestAttempt(rolloutId: string, opts?: RequestOptions): Promise<Attempt | null> {
    return this.call({ ...opts, method: 'GET', path: `/rollouts/${seg(rolloutId)}/attempts/latest` });
  }

  updateAttempt(rolloutId: string, attemptId: string, update: AttemptUpdate, opts?: RequestOptions): Promise<Attempt> {
    const body = pickPresent(update, ATTEMPT_UPDATE_KEYS);
    const path = `/rollouts/${seg(rolloutId)}/attempts/${seg(attemptId)}`;
    return this.call({ ...opts, method: 'POST', path, body });
  }

  // ---- workers ----

  queryWorkers(query: Query<WorkerQuery> = {}, opts?: RequestOptions): Promise<PaginatedResult<Worker>> {
    return this.query('/workers', query, opts);
  }

  getWorker(workerId: string, opts?: RequestOptions): Promise<Worker | null> {
    return this.call({ ...opts, method: 'GET', path: `/workers/${seg(workerId)}` });
  }

  /** A worker's heartbeat; `stats` (CPU, memory, GPU…) replaces the stored snapshot when given. */
  heartbeatWorker(workerId: string, stats?: Record<string, unknown>, opts?: RequestOptions): Promise<Worker> {
    const body = stats === undefined ? {} : { heartbeat_stats: stats };
    return this.call({ ...opts, method: 'POST', path: `/workers/${seg(workerId)}`, body });
  }

  // ---- resources ----

  queryResources(query: Query<ResourcesQuery> = {}, opts?: RequestOptions): Promise<PaginatedResult<ResourcesUpdate>> {
    return this.query('/resources', query, opts);
  }

  addResources(resources: NamedResourcesInput, opts?: RequestOptions): Promise<ResourcesUpdate> {
    return this.call({ ...opts, method: 'POST', path: '/resources', body: resources });
  }

  upsertResources(resourcesId: string, resources: NamedResourcesInput, opts?: RequestOptions) {
    return this.call<ResourcesUpdate>({
      ...opts,
      method: 'POST',
      path: `/resources/${seg(resourcesId)}`,
      body: resources,
    });
  }

  getResources(resourcesId: string, opts?: RequestOptions): Promise<ResourcesUpdate | null> {
    return this.call({ ...opts, method: 'GET', path: `/resources/${seg(resourcesId)}` });
  }

  getLatestResources(opts?: RequestOptions): Promise<ResourcesUpdate | null> {
    return this.call({ ...opts, method: 'GET', path: '/resources/latest' });
  }

  // ---- spans ----

  /** Stores a span; `null` when that span id was already stored for the attempt (§7d). */
  addSpan(span: SpanInput, opts?: RequestOptions): Promise<Span | null> {
    return this.call({ ...opts, method: 'POST', path: '/spans', body: span });
  }

  /** One page of a rollout's spans (`attempt_id` may be `latest`). */
  querySpans(query: Query<SpanQuery> & { rollout_id: string }, opts?: RequestOptions): Promise<PaginatedResult<Span>> {
    return this.query('/spans', query, opts);
  }

  async nextSpanSequenceId(rolloutId: string, attemptId: string, opts?: RequestOptions): Promise<number> {
    const body = { rollout_id: rolloutId, attempt_id: attemptId };
    const answer = await this.call<NextSequenceIdResponse>({ ...opts, method: 'POST', path: '/spans/next', body });
    return answer.sequence_id;
  }

  // ---- waits ----

  /** The listed rollouts that are terminal by the deadline, in request order (`null`: no deadline). */
  waitForRollouts(rolloutIds: string[], timeoutSeconds: number | null, opts?: RequestOptions): Promise<Rollout[]> {
    const timeoutMs =
      opts?.timeoutMs !== undefined
        ? opts.timeoutMs
        : timeoutSeconds === null
          ? null
          : Math.max(0, timeoutSeconds) * 1000 + this.transport.timeoutMs;
    const body = { rollout_ids: rolloutIds, timeout: timeoutSeconds };
    return this.call({ ...opts, timeoutMs, method: 'POST', path: '/waits/rollouts', body });
  }
}

/** `?a=1&b=x&b=y`: arrays as repeated keys (§8.2), null and undefined left out. */
export function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
