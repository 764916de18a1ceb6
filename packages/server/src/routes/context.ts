/** What every route module receives, and small helpers shared by them. */
import type { FastifyReply, FastifySchema } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import type { ListCache } from '../http/list-cache.js';
import type { LightningStore } from '../store/store.js';

export interface RouteContext {
  store: LightningStore;
  lists: ListCache;
}

/** Route options that skip the before-request watchdog scan (§5.5: health, add span, next sequence id). */
export const NO_WATCHDOG = { watchdog: false } as const;

/** `200 null` for a lookup that found nothing (§2.1); sent as text so no serializer can turn it into an empty body. */
export function sendNull(reply: FastifyReply): FastifyReply {
  return reply.code(200).type('application/json').send('null');
}

/**
 * OpenAPI documentation for a route. Validation does not go through Fastify (see app.ts): these schemas only
 * describe the API at /docs. Copies drop TypeBox's `$id`s so shared models can be inlined many times.
 */
export function docs(spec: {
  tags: string[];
  summary: string;
  body?: TSchema;
  querystring?: TSchema;
  response: Record<number, TSchema | { description: string; type: 'null' }>;
}): FastifySchema {
  const out: Record<string, unknown> = { tags: spec.tags, summary: spec.summary };
  if (spec.body) out.body = plain(spec.body);
  if (spec.querystring) out.querystring = plain(spec.querystring);
  out.response = Object.fromEntries(Object.entries(spec.response).map(([code, schema]) => [code, plain(schema)]));
  return out as FastifySchema;
}

function plain(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema), (key, value) => (key === '$id' ? undefined : value));
}
