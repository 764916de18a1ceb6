/** Span endpoints (§4.18–§4.20). */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  ErrorResponseSchema,
  NextSequenceIdRequestSchema,
  NextSequenceIdResponseSchema,
  SpanSchema,
  SpansQuerySchema,
  type NextSequenceIdRequest,
  type Span,
  type SpansQuery,
} from '@agl/schemas';
import { readBody } from '../http/body.js';
import { sendList } from '../http/list-cache.js';
import { validate } from '../http/validate.js';
import { NO_WATCHDOG, docs, type RouteContext } from './context.js';

const tags = ['spans'];

export async function spanRoutes(app: FastifyInstance, { store, lists }: RouteContext): Promise<void> {
  app.post('/spans', {
    config: NO_WATCHDOG,
    schema: docs({
      tags,
      summary:
        'Add a span (a heartbeat for its attempt); a repeated (rollout, attempt, span id) returns the stored span with 200',
      body: SpanSchema,
      response: { 200: SpanSchema, 201: SpanSchema, 404: ErrorResponseSchema, 422: ErrorResponseSchema },
    }),
    handler: async (request, reply) => {
      const result = await store.addSpan(readBody<Span>(SpanSchema, request.body));
      return reply.code(result.created ? 201 : 200).send(result.span);
    },
  });

  app.get('/spans', {
    schema: docs({
      tags,
      summary: 'Spans of a rollout in arrival order, optionally of one attempt (`latest` = newest attempt); ETag/304',
      querystring: SpansQuerySchema,
      response: { 200: Type.Array(SpanSchema), 422: ErrorResponseSchema },
    }),
    handler: async (request, reply) => {
      const query = validate<SpansQuery>(SpansQuerySchema, { ...(request.query as object) }, ['query']);
      const attemptId = query.attempt_id ?? null;
      const spansVersion = await store.versions.spans(query.rollout_id);
      // `latest` can point at a new attempt without any new span, so it also follows rollout changes.
      const version = attemptId === 'latest' ? `${spansVersion}/${await store.versions.rollouts()}` : spansVersion;
      const entry = await lists.get(`spans:${query.rollout_id}:${attemptId ?? '*'}`, version, async () =>
        JSON.stringify(await store.querySpans(query.rollout_id, attemptId)),
      );
      return sendList(request, reply, entry);
    },
  });

  app.post('/spans/next', {
    config: NO_WATCHDOG,
    schema: docs({
      tags,
      summary: 'Allocate the next span sequence id of a rollout',
      body: NextSequenceIdRequestSchema,
      response: { 200: NextSequenceIdResponseSchema, 422: ErrorResponseSchema },
    }),
    handler: async (request, reply) => {
      const body = readBody<NextSequenceIdRequest>(NextSequenceIdRequestSchema, request.body);
      return reply.send({ sequence_id: await store.nextSpanSequenceId(body.rollout_id) });
    },
  });
}
