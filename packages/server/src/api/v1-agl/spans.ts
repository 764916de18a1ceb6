/** Span endpoints of `/v1/agl` (§8.1, §8.3): OTel status codes only, `201 null` for a duplicate, span pages. */
import type { FastifyInstance } from 'fastify';
import { ErrorResponseSchema, Nullable, SPAN_SORT_KEYS, SpanQuerySchema, SpanSchema, V1SpanSchema } from '@agl/schemas';
import { route, sendNull } from '../../http/route.js';
import { nextSequenceIdRoute } from '../agl-v1/spans.js';
import { NO_WATCHDOG, type RouteContext } from '../context.js';
import { pageRoutes } from './pages.js';
import { V1_AGL_TAGS } from './tags.js';

const tags = [V1_AGL_TAGS.spans];

export function spanRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store } = context;
  route(app, {
    method: 'POST',
    url: '/spans',
    config: NO_WATCHDOG,
    tags,
    summary:
      'Add a span (a heartbeat for its attempt); a repeated (rollout, attempt, span id) is kept once: `201 null`',
    body: V1SpanSchema,
    response: { 201: Nullable(SpanSchema), 404: ErrorResponseSchema, 422: ErrorResponseSchema },
    handler: async (request, reply) => {
      const result = await store.addSpan(request.body);
      // v0.3.x clients read a null body as "duplicate" (§7d).
      return result.created ? reply.code(201).send(result.span) : sendNull(reply, 201);
    },
  });

  pageRoutes(app, context, {
    url: '/spans',
    tags,
    summary:
      'A page of the spans of a rollout (`attempt_id=latest`: the newest attempt), by `sequence_id` unless sorted',
    query: SpanQuerySchema,
    item: SpanSchema,
    sortKeys: SPAN_SORT_KEYS,
    defaultSortBy: 'sequence_id',
    version: async (query) => {
      const spans = await store.versions.spans(query.rollout_id);
      // `latest` can point at a new attempt without any new span, so it also follows rollout changes.
      return query.attempt_id === 'latest' ? `${spans}/${await store.versions.rollouts()}` : spans;
    },
    read: (query) => store.querySpansPage(query),
  });

  nextSequenceIdRoute(app, context, tags);
}
