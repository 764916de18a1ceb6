/** Typed client for the LightningStore generation-A API (`/agl/v1`, docs/protocol.md §4): one method per endpoint. */
import {
  API_PREFIX,
  type Attempt,
  type AttemptedRollout,
  type HealthResponse,
  type NextSequenceIdResponse,
  type ResourcesUpdate,
  type Rollout,
  type RolloutWithAttempt,
  type Span,
} from '@agl/schemas';
import { StoreError } from './errors.js';
import {
  callJson,
  isRetryableStatus,
  transportFor,
  type CallSpec,
  type ClientOptions,
  type RequestOptions,
  type TransportOptions,
} from './transport.js';
import {
  ATTEMPT_UPDATE_KEYS,
  ROLLOUT_UPDATE_KEYS,
  pickPresent,
  type AttemptUpdate,
  type NamedResourcesInput,
  type RolloutInput,
  type RolloutQuery,
  type RolloutUpdate,
  type SpanInput,
} from './types.js';

/** Where the store is and how to talk to it; a trailing `/agl/v1` on `baseUrl` is accepted. */
export type LightningStoreClientOptions = ClientOptions;

const seg = encodeURIComponent;

export class LightningStoreClient {
  readonly apiUrl: string;
  private readonly transport: TransportOptions;

  constructor(options: LightningStoreClientOptions) {
    this.transport = transportFor(options, API_PREFIX);
    this.apiUrl = this.transport.apiUrl;
  }

  private call<T>(spec: CallSpec): Promise<T> {
    return callJson<T>(this.transport, spec);
  }

  /** `GET /health` (4.1). */
  health(opts?: RequestOptions): Promise<HealthResponse> {
    return this.call({ ...opts, method: 'GET', path: '/health' });
  }

  // ---- rollouts and the queue ----

  /** Appends a new `queuing` rollout to the queue (4.2). Retried on 5xx like every write, so it may duplicate. */
  enqueueRollout(request: RolloutInput, opts?: RequestOptions): Promise<Rollout> {
    return this.call({ ...opts, method: 'POST', path: '/queues/rollouts/enqueue', body: request });
  }

  /**
   * Claims the oldest queued rollout with a new attempt (4.3), or `null` when the queue is empty.
   * Sent exactly once: a retried dequeue whose first answer was lost would claim a second rollout. As in the
   * reference client, a transient failure (no answer, timeout, 408, 5xx) also yields `null` ("nothing to do now"),
   * so a polling runner simply tries again later. Other errors (a wrong URL's 404, an abort) are thrown.
   */
  async dequeueRollout(opts?: RequestOptions): Promise<AttemptedRollout | null> {
    try {
      return await this.call<AttemptedRollout | null>({
        ...opts,
        method: 'POST',
        path: '/queues/rollouts/dequeue',
        noRetry: true,
      });
    } catch (error) {
      if (error instanceof StoreError && isTransient(error)) return null;
      throw error;
    }
  }

  /** Creates a rollout and its first attempt at once, bypassing the queue (4.4). */
  startRollout(request: RolloutInput, opts?: RequestOptions): Promise<AttemptedRollout> {
    return this.call({ ...opts, method: 'POST', path: '/rollouts', body: request });
  }

  /** Every rollout in creation order, each with its latest attempt when it has one (4.5). */
  listRollouts(opts?: RequestOptions): Promise<RolloutWithAttempt[]> {
    return this.call({ ...opts, method: 'GET', path: '/rollouts' });
  }

  /** Rollouts matching every given filter (4.6); `null`/absent filters are left out of the body. */
  searchRollouts(query: RolloutQuery, opts?: RequestOptions): Promise<RolloutWithAttempt[]> {
    const body = pickPresent(query, ['status', 'rollout_ids'] as const);
    for (const key of ['status', 'rollout_ids'] as const) if (body[key] === null) delete body[key];
    return this.call({ ...opts, method: 'POST', path: '/rollouts/search', body });
  }

  /** The rollout with its latest attempt, or `null` if unknown (4.7). */
  getRollout(rolloutId: string, opts?: RequestOptions): Promise<RolloutWithAttempt | null> {
    return this.call({ ...opts, method: 'GET', path: `/rollouts/${seg(rolloutId)}` });
  }

  /** Changes only the fields present in `update` (4.8). */
  updateRollout(rolloutId: string, update: RolloutUpdate, opts?: RequestOptions): Promise<Rollout> {
    const body = pickPresent(update, ROLLOUT_UPDATE_KEYS);
    return this.call({ ...opts, method: 'POST', path: `/rollouts/${seg(rolloutId)}`, body });
  }

  // ---- attempts ----

  /** Attempts in ascending `sequence_id`; `[]` for an unknown rollout (4.10). */
  listAttempts(rolloutId: string, opts?: RequestOptions): Promise<Attempt[]> {
    return this.call({ ...opts, method: 'GET', path: `/rollouts/${seg(rolloutId)}/attempts` });
  }

  /** The highest-sequence attempt, or `null` (4.11). */
  getLatestAttempt(rolloutId: string, opts?: RequestOptions): Promise<Attempt | null> {
    return this.call({ ...opts, method: 'GET', path: `/rollouts/${seg(rolloutId)}/attempts/latest` });
  }

  /** Manual retry: a new `preparing` attempt, ignoring `max_attempts` (4.9). */
  startAttempt(rolloutId: string, opts?: RequestOptions): Promise<AttemptedRollout> {
    return this.call({ ...opts, method: 'POST', path: `/rollouts/${seg(rolloutId)}/attempts` });
  }

  /** Changes only the fields present in `update`; `attemptId` may be `latest` (4.12). */
  updateAttempt(rolloutId: string, attemptId: string, update: AttemptUpdate, opts?: RequestOptions): Promise<Attempt> {
    const body = pickPresent(update, ATTEMPT_UPDATE_KEYS);
    const path = `/rollouts/${seg(rolloutId)}/attempts/${seg(attemptId)}`;
    return this.call({ ...opts, method: 'POST', path, body });
  }

  // ---- resources ----

  /** Every snapshot, most recent write first (4.13). */
  listResources(opts?: RequestOptions): Promise<ResourcesUpdate[]> {
    return this.call({ ...opts, method: 'GET', path: '/resources' });
  }

  /** Stores a new snapshot under a generated `rs-…` ID and makes it latest (4.14). */
  addResources(resources: NamedResourcesInput, opts?: RequestOptions): Promise<ResourcesUpdate> {
    return this.call({ ...opts, method: 'POST', path: '/resources', body: resources });
  }

  /** The most recently written snapshot, or `null` (4.15). */
  getLatestResources(opts?: RequestOptions): Promise<ResourcesUpdate | null> {
    return this.call({ ...opts, method: 'GET', path: '/resources/latest' });
  }

  /** The snapshot with this ID, or `null` (4.17). */
  getResources(resourcesId: string, opts?: RequestOptions): Promise<ResourcesUpdate | null> {
    return this.call({ ...opts, method: 'GET', path: `/resources/${seg(resourcesId)}` });
  }

  /** Creates or replaces (whole) the snapshot with this ID and makes it latest (4.16). */
  upsertResources(
    resourcesId: string,
    resources: NamedResourcesInput,
    opts?: RequestOptions,
  ): Promise<ResourcesUpdate> {
    return this.call({ ...opts, method: 'POST', path: `/resources/${seg(resourcesId)}`, body: resources });
  }

  // ---- spans ----

  /** Stores a span (a heartbeat for its attempt); a repeated span ID returns the stored span unchanged (4.18). */
  addSpan(span: SpanInput, opts?: RequestOptions): Promise<Span> {
    return this.call({ ...opts, method: 'POST', path: '/spans', body: span });
  }

  /** Spans in arrival order: all attempts, one attempt, or `latest` (4.19). */
  querySpans(rolloutId: string, attemptId?: string, opts?: RequestOptions): Promise<Span[]> {
    const query = new URLSearchParams({ rollout_id: rolloutId });
    if (attemptId !== undefined) query.set('attempt_id', attemptId);
    return this.call({ ...opts, method: 'GET', path: `/spans?${query.toString()}` });
  }

  /** Allocates the rollout's next span sequence ID (4.20). */
  async nextSpanSequenceId(rolloutId: string, attemptId: string, opts?: RequestOptions): Promise<number> {
    const body = { rollout_id: rolloutId, attempt_id: attemptId };
    const answer = await this.call<NextSequenceIdResponse>({ ...opts, method: 'POST', path: '/spans/next', body });
    return answer.sequence_id;
  }

  // ---- waits ----

  /**
   * The listed rollouts that are terminal by the deadline (4.21). `timeoutSeconds` `null` waits without a deadline;
   * the HTTP timeout is stretched to cover the wait (and dropped for an unbounded one, so pass a `signal`).
   */
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

export function isTransient(error: StoreError): boolean {
  if (error.kind === 'network' || error.kind === 'timeout') return true;
  return error.kind === 'http' && isRetryableStatus(error.status ?? 0);
}
