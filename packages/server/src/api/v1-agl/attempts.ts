/** Attempt endpoints of `/v1/agl` (§8.1): pages in `sequence_id` order, starts by a worker, updates. */
import type { FastifyInstance } from 'fastify';
import {
  ATTEMPT_SORT_KEYS,
  ATTEMPT_UPDATE_NON_NULLABLE,
  AttemptQuerySchema,
  AttemptSchema,
  AttemptedRolloutSchema,
  ErrorResponseSchema,
  Nullable,
  StartAttemptRequestSchema,
  UpdateAttemptRequestSchema,
} from '@agl/schemas';
import { rejectExplicitNulls } from '../../http/errors.js';
import { route, sendNull } from '../../http/route.js';
import type { RouteContext } from '../context.js';
import { pageRoutes } from './pages.js';
import { V1_AGL_TAGS } from './tags.js';

const tags = [V1_AGL_TAGS.attempts];

export function attemptRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store } = context;
  pageRoutes(app, context, {
    url: '/rollouts/:rollout_id/attempts',
    tags,
    summary: 'A page of the attempts of a rollout, by `sequence_id` unless sorted (unknown rollout: empty page)',
    query: AttemptQuerySchema,
    item: AttemptSchema,
    sortKeys: ATTEMPT_SORT_KEYS,
    defaultSortBy: 'sequence_id',
    version: () => store.versions.rollouts(),
    read: (query, params) => store.queryAttempts(params.rollout_id, query),
  });

  route(app, {
    method: 'GET',
    url: '/rollouts/:rollout_id/attempts/latest',
    tags,
    summary: 'The attempt with the highest sequence id, or null',
    response: { 200: Nullable(AttemptSchema) },
    handler: async (request, reply) => {
      const attempt = await store.getLatestAttempt(request.params.rollout_id);
      return attempt ? reply.send(attempt) : sendNull(reply);
    },
  });

  route(app, {
    method: 'POST',
    url: '/rollouts/:rollout_id/attempts',
    tags,
    summary: 'Start a new attempt now (manual retry; ignores max_attempts), for `worker_id` when given (body optional)',
    body: StartAttemptRequestSchema,
    bodyOptional: true,
    response: { 201: AttemptedRolloutSchema, 404: ErrorResponseSchema, 422: ErrorResponseSchema },
    handler: async (request, reply) =>
      reply.code(201).send(await store.startAttempt(request.params.rollout_id, request.body.worker_id)),
  });

  route(app, {
    method: 'POST',
    url: '/rollouts/:rollout_id/attempts/:attempt_id',
    tags,
    summary: 'Update an attempt (`latest` addresses the newest); a status on the latest attempt moves the rollout',
    body: UpdateAttemptRequestSchema,
    response: { 200: AttemptSchema, 400: ErrorResponseSchema, 404: ErrorResponseSchema, 422: ErrorResponseSchema },
    handler: async (request, reply) => {
      rejectExplicitNulls(request.body, ATTEMPT_UPDATE_NON_NULLABLE);
      const { rollout_id, attempt_id } = request.params;
      return reply.send(await store.updateAttempt(rollout_id, attempt_id, request.body));
    },
  });
}
