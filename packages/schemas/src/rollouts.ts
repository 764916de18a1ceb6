/** Rollout, Attempt and RolloutConfig (docs/protocol.md §3.2–§3.4). All times are float epoch seconds. */
import { Type, type Static } from '@sinclair/typebox';
import { ATTEMPT_STATUSES, ROLLOUT_MODES, ROLLOUT_STATUSES } from './enums.js';
import { EpochSeconds, Literals, Nullable } from './helpers.js';

export const RolloutStatusSchema = Literals(ROLLOUT_STATUSES, { $id: 'RolloutStatus' });
export const AttemptStatusSchema = Literals(ATTEMPT_STATUSES, { $id: 'AttemptStatus' });
export const RolloutModeSchema = Literals(ROLLOUT_MODES, { $id: 'RolloutMode' });

export const RolloutConfigSchema = Type.Object(
  {
    timeout_seconds: Nullable(Type.Number(), { default: null }),
    unresponsive_seconds: Nullable(Type.Number(), { default: null }),
    max_attempts: Type.Integer({ minimum: 1, default: 1 }),
    retry_condition: Type.Array(AttemptStatusSchema, { default: [] }),
  },
  { $id: 'RolloutConfig' },
);
export type RolloutConfig = Static<typeof RolloutConfigSchema>;

export const DEFAULT_ROLLOUT_CONFIG: RolloutConfig = {
  timeout_seconds: null,
  unresponsive_seconds: null,
  max_attempts: 1,
  retry_condition: [],
};

const AnyJson = Type.Unknown({ description: 'any JSON value, stored verbatim' });
const JsonObject = Type.Record(Type.String(), Type.Unknown());

export const AttemptSchema = Type.Object(
  {
    rollout_id: Type.String(),
    attempt_id: Type.String({ description: '`at-` + 8 lowercase hex' }),
    sequence_id: Type.Integer({ description: '1-based per rollout' }),
    start_time: EpochSeconds,
    end_time: Nullable(EpochSeconds),
    status: AttemptStatusSchema,
    worker_id: Nullable(Type.String()),
    last_heartbeat_time: Nullable(EpochSeconds),
    metadata: Nullable(JsonObject),
  },
  { $id: 'Attempt' },
);
export type Attempt = Static<typeof AttemptSchema>;

const rolloutFields = {
  rollout_id: Type.String({ description: '`ro-` + 12 lowercase hex' }),
  input: AnyJson,
  start_time: EpochSeconds,
  end_time: Nullable(EpochSeconds),
  mode: Nullable(RolloutModeSchema),
  resources_id: Nullable(Type.String()),
  status: RolloutStatusSchema,
  config: RolloutConfigSchema,
  metadata: Nullable(JsonObject),
};

/** A rollout as it is stored; never carries `attempt`. */
export const RolloutSchema = Type.Object(rolloutFields, { $id: 'Rollout' });
export type Rollout = Static<typeof RolloutSchema>;

/** A rollout with its claimed, created or latest attempt (§3.3). */
export const AttemptedRolloutSchema = Type.Object(
  { ...rolloutFields, attempt: AttemptSchema },
  { $id: 'AttemptedRollout' },
);
export type AttemptedRollout = Static<typeof AttemptedRolloutSchema>;

/** What rollout reads return: `attempt` is present exactly when the rollout has attempts (§7h). */
export const RolloutWithAttemptSchema = Type.Object(
  { ...rolloutFields, attempt: Type.Optional(AttemptSchema) },
  { $id: 'RolloutWithOptionalAttempt' },
);
export type RolloutWithAttempt = Rollout & { attempt?: Attempt };
