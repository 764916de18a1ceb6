/** Span endpoints (§4.18–§4.20). */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  ErrorResponseSchema,
  NextSequenceIdRequestSchema,
  NextSequenceIdResponseSchema,
  SpanSchema,
  SpansQuerySchema,
} from '@agl/schemas';
import { sendList } from '../../http/list-cache.js';
import { route } from '../../http/route.js';
import { NO_WATCHDOG, type RouteContext } from '../context.js';
import { AGL_V1_TAGS as TAGS } from './tags.js';

const tags = [TAGS.spans];

/** `POST /spans/next` (§4.20), which `/v1/agl` serves unchanged. */
export function nextSequenceIdRoute(app: FastifyInstance, { store }: RouteContext, routeTags: string[]): void {
  route(app, {
    method: 'POST',
    url: '/spans/next',
    config: NO_WATCHDOG,
    tags: routeTags,
    summary: 'Allocate the next span sequence id of a rollout',
    body: NextSequenceIdRequestSchema,
    response: { 200: NextSequenceIdResponseSchema, 422: ErrorResponseSchema },
    handler: async (request, reply) =>
      reply.send({ sequence_id: await store.nextSpanSequenceId(request.body.rollout_id) }),
  });
}

export function spanRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, lists } = context;
  route(app, {
    method: 'POST',
    url: '/spans',
    config: NO_WATCHDOG,
    tags,
    summary:
      'Add a span (a heartbeat for its attempt); a repeated (rollout, attempt, span id) returns the stored span with 200',
    body: SpanSchema,
    response: { 200: SpanSchema, 201: SpanSchema, 404: ErrorResponseSchema, 422: ErrorResponseSchema },
    handler: async (request, reply) => {
      const result = await store.addSpan(request.body);
      return reply.code(result.created ? 201 : 200).send(result.span);
    },
  });

  route(app, {
    method: 'GET',
    url: '/spans',
    tags,
    summary: 'Spans of a rollout in arrival order, optionally of one attempt (`latest` = newest attempt); ETag/304',
    querystring: SpansQuerySchema,
    response: { 200: Type.Array(SpanSchema), 422: ErrorResponseSchema },
    handler: async (request, reply) => {
      const { rollout_id } = request.query;
      const attemptId = request.query.attempt_id ?? null;
      const spansVersion = await store.versions.spans(rollout_id);
      // `latest` can point at a new attempt without any new span, so it also follows rollout changes.
      const version = attemptId === 'latest' ? `${spansVersion}/${await store.versions.rollouts()}` : spansVersion;
      const entry = await lists.get(`spans:${rollout_id}:${attemptId ?? '*'}`, version, async () =>
        JSON.stringify(await store.querySpans(rollout_id, attemptId)),
      );
      return sendList(request, reply, entry);
    },
  });

  nextSequenceIdRoute(app, context, tags);
}
