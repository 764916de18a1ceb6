/** Request and small response bodies of generation A (docs/protocol.md §3.7). */
import { Type, type Static } from '@sinclair/typebox';
import { EpochSeconds, Nullable } from './helpers.js';
import { AttemptStatusSchema, RolloutConfigSchema, RolloutModeSchema, RolloutStatusSchema } from './rollouts.js';

const JsonObject = Type.Record(Type.String(), Type.Unknown());

/** Body of enqueue and start-rollout. `input` is a required key whose value may be null. */
export const RolloutRequestSchema = Type.Object(
  {
    input: Type.Unknown(),
    mode: Nullable(RolloutModeSchema, { default: null }),
    resources_id: Nullable(Type.String(), { default: null }),
    config: Nullable(RolloutConfigSchema, { default: null }),
    metadata: Nullable(JsonObject, { default: null }),
  },
  { $id: 'RolloutRequest' },
);
export type RolloutRequest = Static<typeof RolloutRequestSchema>;

export const QueryRolloutsRequestSchema = Type.Object(
  {
    status: Nullable(Type.Array(RolloutStatusSchema), { default: null }),
    rollout_ids: Nullable(Type.Array(Type.String()), { default: null }),
  },
  { $id: 'QueryRolloutsRequest' },
);
export type QueryRolloutsRequest = Static<typeof QueryRolloutsRequestSchema>;

/**
 * Presence-sensitive (§2.6): an absent key leaves the field alone. `status` and `config` accept null only so
 * that the server can answer the documented 400 (not a 422) for an explicit null.
 */
export const UpdateRolloutRequestSchema = Type.Object(
  {
    input: Type.Optional(Type.Unknown()),
    mode: Type.Optional(Nullable(RolloutModeSchema)),
    resources_id: Type.Optional(Nullable(Type.String())),
    status: Type.Optional(Nullable(RolloutStatusSchema)),
    config: Type.Optional(Nullable(RolloutConfigSchema)),
    metadata: Type.Optional(Nullable(JsonObject)),
  },
  { $id: 'UpdateRolloutRequest' },
);
export type UpdateRolloutRequest = Static<typeof UpdateRolloutRequestSchema>;
/** Rollout update fields that answer 400 to an explicit null, in reporting order (§6.3). */
export const ROLLOUT_UPDATE_NON_NULLABLE = ['status', 'config'] as const;

export const UpdateAttemptRequestSchema = Type.Object(
  {
    status: Type.Optional(Nullable(AttemptStatusSchema)),
    worker_id: Type.Optional(Nullable(Type.String())),
    last_heartbeat_time: Type.Optional(Nullable(EpochSeconds)),
    metadata: Type.Optional(Nullable(JsonObject)),
  },
  { $id: 'UpdateAttemptRequest' },
);
export type UpdateAttemptRequest = Static<typeof UpdateAttemptRequestSchema>;
export const ATTEMPT_UPDATE_NON_NULLABLE = ['status', 'worker_id', 'last_heartbeat_time', 'metadata'] as const;

export const WaitForRolloutsRequestSchema = Type.Object(
  {
    rollout_ids: Type.Array(Type.String()),
    timeout: Nullable(Type.Number(), { default: null, description: 'seconds; null waits without a deadline' }),
  },
  { $id: 'WaitForRolloutsRequest' },
);
export type WaitForRolloutsRequest = Static<typeof WaitForRolloutsRequestSchema>;

export const NextSequenceIdRequestSchema = Type.Object(
  { rollout_id: Type.String(), attempt_id: Type.String() },
  { $id: 'NextSequenceIdRequest' },
);
export type NextSequenceIdRequest = Static<typeof NextSequenceIdRequestSchema>;

export const NextSequenceIdResponseSchema = Type.Object(
  { sequence_id: Type.Integer() },
  { $id: 'NextSequenceIdResponse' },
);
export type NextSequenceIdResponse = Static<typeof NextSequenceIdResponseSchema>;

/**
 * A background job (watchdog, commit, …) that keeps failing. The store still answers, so health stays 200: old
 * clients only read the status code, and the dashboard shows the problems next to its connection indicator.
 */
export const HealthProblemSchema = Type.Object(
  {
    source: Type.String({ description: 'what is failing, e.g. `watchdog`' }),
    message: Type.String(),
    since: Type.Number({ description: 'float epoch seconds of the first failure in this run of failures' }),
    failures: Type.Integer({ description: 'consecutive failures so far' }),
  },
  { $id: 'HealthProblem' },
);
export type HealthProblem = Static<typeof HealthProblemSchema>;

/** `{"status":"ok"}` when all is well; `degraded` with `problems` while a background job keeps failing. */
export const HealthResponseSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
    problems: Type.Optional(Type.Array(HealthProblemSchema)),
  },
  { $id: 'HealthResponse' },
);
export type HealthResponse = Static<typeof HealthResponseSchema>;

export const SpansQuerySchema = Type.Object(
  {
    rollout_id: Type.String(),
    attempt_id: Type.Optional(Type.String({ description: 'an attempt id, or `latest`' })),
  },
  { $id: 'SpansQuery' },
);
export type SpansQuery = Static<typeof SpansQuerySchema>;

/** One FastAPI/pydantic-style validation error entry (§6.2). */
export const ValidationIssueSchema = Type.Object(
  {
    type: Type.String(),
    loc: Type.Array(Type.Union([Type.String(), Type.Integer()])),
    msg: Type.String(),
    input: Type.Unknown(),
    ctx: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: 'ValidationIssue' },
);
export type ValidationIssue = Static<typeof ValidationIssueSchema>;

/** `{"detail": "..."}` for 400/404/405/500, `{"detail": [issues]}` for 422. */
export const ErrorResponseSchema = Type.Object(
  {
    detail: Type.Union([Type.String(), Type.Array(ValidationIssueSchema)]),
    error_type: Type.Optional(Type.String()),
    traceback: Type.Optional(Type.String()),
  },
  { $id: 'ErrorResponse' },
);
export type ErrorResponse = Static<typeof ErrorResponseSchema>;
