/**
 * The v0.3 generation (`/v1/agl`, docs/protocol.md §8): workers, statistics, batch queue bodies, and the paginated,
 * sorted and filtered queries — the same fields whether sent as GET query parameters or as a `…/search` body.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { EpochSeconds, Literals, Nullable } from './helpers.js';
import { RolloutRequestSchema } from './requests.js';
import { RolloutModeSchema, RolloutStatusSchema } from './rollouts.js';
import { SpanSchema, TraceStatusSchema } from './spans.js';

// ---- workers ------------------------------------------------------------------------------------------------

export const WORKER_STATUSES = ['idle', 'busy', 'unknown'] as const;
export type WorkerStatus = (typeof WORKER_STATUSES)[number];
export const WorkerStatusSchema = Literals(WORKER_STATUSES, { $id: 'WorkerStatus' });

const JsonObject = Type.Record(Type.String(), Type.Unknown());

/** A runner process as the store knows it: upserted implicitly by dequeues, attempt updates and heartbeats (§8.4). */
export const WorkerSchema = Type.Object(
  {
    worker_id: Type.String(),
    status: WorkerStatusSchema,
    heartbeat_stats: Nullable(JsonObject),
    last_heartbeat_time: Nullable(EpochSeconds),
    last_dequeue_time: Nullable(EpochSeconds),
    last_busy_time: Nullable(EpochSeconds),
    last_idle_time: Nullable(EpochSeconds),
    current_rollout_id: Nullable(Type.String()),
    current_attempt_id: Nullable(Type.String()),
  },
  { $id: 'Worker' },
);
export type Worker = Static<typeof WorkerSchema>;

/** `POST /workers/{id}`: a heartbeat, with the runner's system snapshot when sent (an explicit null is a 400). */
export const WorkerHeartbeatRequestSchema = Type.Object(
  { heartbeat_stats: Type.Optional(Nullable(JsonObject)) },
  { $id: 'WorkerHeartbeatRequest' },
);
export type WorkerHeartbeatRequest = Static<typeof WorkerHeartbeatRequestSchema>;

// ---- queue and rollouts -------------------------------------------------------------------------------------

/** `POST /queues/rollouts/enqueue` on `/v1/agl`: a batch, answered in request order. */
export const EnqueueRolloutsRequestSchema = Type.Object(
  { rollouts: Type.Array(RolloutRequestSchema) },
  { $id: 'EnqueueRolloutsRequest' },
);
export type EnqueueRolloutsRequest = Static<typeof EnqueueRolloutsRequestSchema>;

/** `POST /queues/rollouts/dequeue` on `/v1/agl`: up to `limit` claims for one worker (`limit <= 0` claims none). */
export const DequeueRequestSchema = Type.Object(
  {
    limit: Type.Integer({ default: 1 }),
    worker_id: Nullable(Type.String(), { default: null }),
  },
  { $id: 'DequeueRequest' },
);
export type DequeueRequest = Static<typeof DequeueRequestSchema>;

/** `POST /rollouts` on `/v1/agl`: a rollout started now by a worker. */
export const StartRolloutRequestSchema = Type.Object(
  { ...RolloutRequestSchema.properties, worker_id: Nullable(Type.String(), { default: null }) },
  { $id: 'StartRolloutRequest' },
);
export type StartRolloutRequest = Static<typeof StartRolloutRequestSchema>;

/** `POST /rollouts/{id}/attempts` on `/v1/agl` (the body is optional). */
export const StartAttemptRequestSchema = Type.Object(
  { worker_id: Nullable(Type.String(), { default: null }) },
  { $id: 'StartAttemptRequest' },
);
export type StartAttemptRequest = Static<typeof StartAttemptRequestSchema>;

// ---- statistics ---------------------------------------------------------------------------------------------

export const StatisticsSchema = Type.Object(
  {
    name: Type.String({ description: 'the store implementation' }),
    total_rollouts: Type.Integer(),
    total_attempts: Type.Integer(),
    total_spans: Type.Integer(),
    total_resources: Type.Integer(),
    total_workers: Type.Integer(),
    uptime: Type.Number({ description: 'seconds since the store started' }),
  },
  { $id: 'Statistics' },
);
export type Statistics = Static<typeof StatisticsSchema>;

// ---- pages and queries --------------------------------------------------------------------------------------

/** `{items, limit, offset, total}`: one page and how many items matched before slicing. */
export function Paginated<T extends TSchema>(item: T, id: string) {
  return Type.Object(
    {
      items: Type.Array(item),
      limit: Type.Integer({ description: 'as requested; -1 means no limit' }),
      offset: Type.Integer(),
      total: Type.Integer({ description: 'matches before limit/offset' }),
    },
    { $id: id },
  );
}
export interface PaginatedResult<T> {
  items: T[];
  limit: number;
  offset: number;
  total: number;
}

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];
export const FILTER_LOGICS = ['and', 'or'] as const;
export type FilterLogic = (typeof FILTER_LOGICS)[number];

const paging = {
  limit: Type.Integer({ default: -1, description: '-1 for no limit, else > 0' }),
  offset: Type.Integer({ default: 0 }),
  sort_by: Nullable(Type.String(), { default: null }),
  sort_order: Literals(SORT_ORDERS, { default: 'asc' }),
};
const logic = { filter_logic: Literals(FILTER_LOGICS, { default: 'and' }) };
const optional = <T extends TSchema>(schema: T) => Nullable(schema, { default: null });

/**
 * Sort keys per collection, in declaration order (validation messages list them in this order). Object-valued fields
 * are accepted and order by insertion. The rollout and span lists end with what the v0.3.x dashboard sorts by, which
 * the reference rejects (§8.5): latest-attempt fields, `duration` and `status_code`.
 */
export const ROLLOUT_SORT_KEYS = [
  'rollout_id',
  'input',
  'start_time',
  'end_time',
  'mode',
  'resources_id',
  'status',
  'config',
  'metadata',
  'attempt_id',
  'duration',
  'last_heartbeat_time',
  'worker_id',
] as const;
export type RolloutSortKey = (typeof ROLLOUT_SORT_KEYS)[number];

export const ATTEMPT_SORT_KEYS = [
  'rollout_id',
  'attempt_id',
  'sequence_id',
  'start_time',
  'end_time',
  'status',
  'worker_id',
  'last_heartbeat_time',
  'metadata',
] as const;
export type AttemptSortKey = (typeof ATTEMPT_SORT_KEYS)[number];

export const SPAN_SORT_KEYS = [
  'rollout_id',
  'attempt_id',
  'sequence_id',
  'trace_id',
  'span_id',
  'parent_id',
  'name',
  'status',
  'attributes',
  'events',
  'links',
  'start_time',
  'end_time',
  'context',
  'parent',
  'resource',
  'status_code',
  'duration',
] as const;
export type SpanSortKey = (typeof SPAN_SORT_KEYS)[number];

export const RESOURCES_SORT_KEYS = ['resources_id', 'create_time', 'update_time', 'version', 'resources'] as const;
export type ResourcesSortKey = (typeof RESOURCES_SORT_KEYS)[number];

export const WORKER_SORT_KEYS = [
  'worker_id',
  'status',
  'heartbeat_stats',
  'last_heartbeat_time',
  'last_dequeue_time',
  'last_busy_time',
  'last_idle_time',
  'current_rollout_id',
  'current_attempt_id',
] as const;
export type WorkerSortKey = (typeof WORKER_SORT_KEYS)[number];

export const RolloutQuerySchema = Type.Object(
  {
    ...paging,
    ...logic,
    status_in: optional(Type.Array(RolloutStatusSchema)),
    rollout_id_in: optional(Type.Array(Type.String())),
    rollout_id_contains: optional(Type.String()),
    /** Our addition (the v0.3.x dashboard sends it; the reference ignores it). */
    mode_in: optional(Type.Array(RolloutModeSchema)),
  },
  { $id: 'RolloutQuery' },
);
export type RolloutQuery = Static<typeof RolloutQuerySchema>;

export const AttemptQuerySchema = Type.Object({ ...paging }, { $id: 'AttemptQuery' });
export type AttemptQuery = Static<typeof AttemptQuerySchema>;

export const SpanQuerySchema = Type.Object(
  {
    ...paging,
    ...logic,
    rollout_id: Type.String(),
    attempt_id: optional(Type.String({ description: 'an attempt id, or `latest`' })),
    trace_id: optional(Type.String()),
    trace_id_contains: optional(Type.String()),
    span_id: optional(Type.String()),
    span_id_contains: optional(Type.String()),
    parent_id: optional(Type.String()),
    parent_id_contains: optional(Type.String()),
    name: optional(Type.String()),
    name_contains: optional(Type.String()),
  },
  { $id: 'SpanQuery' },
);
export type SpanQuery = Static<typeof SpanQuerySchema>;

export const ResourcesQuerySchema = Type.Object(
  { ...paging, resources_id: optional(Type.String()), resources_id_contains: optional(Type.String()) },
  { $id: 'ResourcesQuery' },
);
export type ResourcesQuery = Static<typeof ResourcesQuerySchema>;

export const WorkerQuerySchema = Type.Object(
  {
    ...paging,
    ...logic,
    status_in: optional(Type.Array(WorkerStatusSchema)),
    worker_id_contains: optional(Type.String()),
  },
  { $id: 'WorkerQuery' },
);
export type WorkerQuery = Static<typeof WorkerQuerySchema>;

/** The span status codes the v0.3 generation accepts (§8.3); `/agl/v1` takes any string. */
export const SPAN_STATUS_CODES = ['UNSET', 'OK', 'ERROR'] as const;
export type SpanStatusCode = (typeof SPAN_STATUS_CODES)[number];

/** `TraceStatus` on `/v1/agl`: the OpenTelemetry status codes only (unknown keys are still kept). */
export const V1TraceStatusSchema = Type.Object(
  { ...TraceStatusSchema.properties, status_code: Literals(SPAN_STATUS_CODES) },
  { $id: 'V1TraceStatus', additionalProperties: true },
);

/** A span as `POST /v1/agl/spans` accepts it: a generation-A span whose status code is UNSET, OK or ERROR. */
export const V1SpanSchema = Type.Object(
  { ...SpanSchema.properties, status: V1TraceStatusSchema },
  { $id: 'V1Span', additionalProperties: true },
);

/** Validation messages of the query rules (§8.2), answered with 400 before any store work. */
export const QUERY_MESSAGES = {
  limit: 'Limit must be greater than 0 or -1 for no limit',
  offset: 'Offset must be greater than or equal to 0',
  sortBy: (key: string, allowed: readonly string[]) =>
    `Invalid sort_by: ${key}, allowed fields are: ${allowed.join(', ')}`,
} as const;
