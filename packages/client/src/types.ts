/**
 * Request shapes as a caller writes them. The wire schemas mark server-filled defaults as required keys (that is
 * how responses look); here those keys are optional, because the server fills them in (store-api.md §3).
 */
import type { AttemptStatus, PromptTemplate, RolloutConfig, RolloutMode, RolloutStatus, Span } from '@agl/schemas';

/** Body of enqueue and start-rollout. `input` is required (it may be `null`); omitted config keys get defaults. */
export interface RolloutInput {
  input: unknown;
  mode?: RolloutMode | null;
  /** `null`, absent or `""` → the latest resources at creation (§5.10). */
  resources_id?: string | null;
  config?: Partial<RolloutConfig> | null;
  metadata?: Record<string, unknown> | null;
}

/**
 * Presence-sensitive (§2.6): only the keys present here are sent. An explicit `null` clears a nullable field;
 * `status` and `config` are not nullable. `config` replaces the stored config whole.
 */
export interface RolloutUpdate {
  input?: unknown;
  mode?: RolloutMode | null;
  resources_id?: string | null;
  status?: RolloutStatus;
  config?: Partial<RolloutConfig>;
  metadata?: Record<string, unknown> | null;
}

/** Presence-sensitive like `RolloutUpdate`; none of these fields may be `null`. */
export interface AttemptUpdate {
  status?: AttemptStatus;
  worker_id?: string;
  /** Float epoch seconds. */
  last_heartbeat_time?: number;
  metadata?: Record<string, unknown>;
}

/** `null`/absent filters are skipped; an empty list matches nothing (§4.6). */
export interface RolloutQuery {
  status?: RolloutStatus[] | null;
  rollout_ids?: string[] | null;
}

export interface LlmInput {
  resource_type: 'llm' | 'proxy_llm';
  endpoint: string;
  model: string;
  api_key?: string | null;
  sampling_parameters?: Record<string, unknown>;
}

export type ResourceInput = LlmInput | PromptTemplate;
export type NamedResourcesInput = Record<string, ResourceInput>;

/** A span as sent: every declared key, nullable ones included (an absent `parent_id` is a 422). */
export type SpanInput = Span;

export const ROLLOUT_UPDATE_KEYS = ['input', 'mode', 'resources_id', 'status', 'config', 'metadata'] as const;
export const ATTEMPT_UPDATE_KEYS = ['status', 'worker_id', 'last_heartbeat_time', 'metadata'] as const;

/** Copies only the listed keys the caller actually set; `undefined` counts as not set (JSON has no undefined). */
export function pickPresent<K extends string>(source: object, keys: readonly K[]): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  const record = source as Record<string, unknown>;
  for (const key of keys) {
    if (Object.hasOwn(record, key) && record[key] !== undefined) out[key] = record[key];
  }
  return out;
}
