/**
 * Request shapes as a caller writes them, derived from the wire schemas. The schemas mark server-filled defaults as
 * required keys (that is how responses look); here those keys are optional, because the server fills them in
 * (docs/protocol.md §3).
 */
import {
  UpdateAttemptRequestSchema,
  UpdateRolloutRequestSchema,
  type Llm,
  type PromptTemplate,
  type ProxyLlm,
  type QueryRolloutsRequest,
  type RolloutConfig,
  type RolloutRequest,
  type Span,
  type UpdateAttemptRequest,
  type UpdateRolloutRequest,
} from '@agl/schemas';

/**
 * Body of enqueue and start-rollout. `input` is required (it may be `null`); omitted config keys get defaults; a
 * `resources_id` that is `null`, absent or `""` means the latest resources at creation (§5.10).
 */
export type RolloutInput = Pick<RolloutRequest, 'input'> &
  Partial<Omit<RolloutRequest, 'input' | 'config'>> & { config?: Partial<RolloutConfig> | null };

/**
 * Presence-sensitive (§2.6): only the keys present here are sent. An explicit `null` clears a nullable field;
 * `status` and `config` are not nullable (the wire schema admits null only to answer it with a 400). `config`
 * replaces the stored config whole.
 */
export type RolloutUpdate = Omit<UpdateRolloutRequest, 'status' | 'config'> & {
  status?: NonNullable<UpdateRolloutRequest['status']>;
  config?: Partial<RolloutConfig>;
};

/** Presence-sensitive like `RolloutUpdate`; none of these fields may be `null` (`last_heartbeat_time`: epoch s). */
export type AttemptUpdate = { [K in keyof UpdateAttemptRequest]?: NonNullable<UpdateAttemptRequest[K]> };

/** `null`/absent filters are skipped; an empty list matches nothing (§4.6). */
export type RolloutQuery = Partial<QueryRolloutsRequest>;

/** An `llm` or `proxy_llm` resource; `api_key` and `sampling_parameters` default on the server. */
export type LlmInput = Omit<Llm | ProxyLlm, 'api_key' | 'sampling_parameters'> &
  Partial<Pick<Llm, 'api_key' | 'sampling_parameters'>>;

export type ResourceInput = LlmInput | PromptTemplate;
export type NamedResourcesInput = Record<string, ResourceInput>;

/** A span as sent: every declared key, nullable ones included (an absent `parent_id` is a 422). */
export type SpanInput = Span;

/** The keys of a schema's properties, in declaration order, typed as the request's keys. */
function keysOf<T>(schema: { properties: object }): readonly (keyof T & string)[] {
  return Object.keys(schema.properties) as (keyof T & string)[];
}

export const ROLLOUT_UPDATE_KEYS = keysOf<UpdateRolloutRequest>(UpdateRolloutRequestSchema);
export const ATTEMPT_UPDATE_KEYS = keysOf<UpdateAttemptRequest>(UpdateAttemptRequestSchema);

/** Copies only the listed keys the caller actually set; `undefined` counts as not set (JSON has no undefined). */
export function pickPresent<K extends string>(source: object, keys: readonly K[]): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  const record = source as Record<string, unknown>;
  for (const key of keys) {
    if (Object.hasOwn(record, key) && record[key] !== undefined) out[key] = record[key];
  }
  return out;
}
