/** Queue and rollout endpoints of `/v1/agl` (§8.1): batch enqueue and dequeue, starts by a worker, rollout pages. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  AttemptedRolloutSchema,
  DequeueRequestSchema,
  EnqueueRolloutsRequestSchema,
  ErrorResponseSchema,
  Nullable,
  ROLLOUT_SORT_KEYS,
  ROLLOUT_UPDATE_NON_NULLABLE,
  RolloutQuerySchema,
  RolloutSchema,
  RolloutWithAttemptSchema,
  StartRolloutRequestSchema,
  UpdateRolloutRequestSchema,
} from '@agl/schemas';
import { rejectExplicitNulls } from '../../http/errors.js';
import { route, sendNull } from '../../http/route.js';
import type { RouteContext } from '../context.js';
import { pageRoutes } from './pages.js';
import { V1_AGL_TAGS } from './tags.js';

const tags = [V1_AGL_TAGS.rollouts];

export function rolloutRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store } = context;
  route(app, {
    method: 'POST',
    url: '/queues/rollouts/enqueue',
    tags,
    summary: 'Enqueue rollouts (queuing, no attempt), answered in request order; `resources_id: ""` is kept as sent',
    body: EnqueueRolloutsRequestSchema,
    response: { 201: Type.Array(RolloutSchema), 422: ErrorResponseSchema },
    handler: async (request, reply) => reply.code(201).send(await store.enqueueRollouts(request.body.rollouts, 'null')),
  });

  route(app, {
    method: 'POST',
    url: '/queues/rollouts/dequeue',
    tags,
    summary: 'Claim up to `limit` queued rollouts, oldest first, with new attempts for `worker_id` (body optional)',
    body: DequeueRequestSchema,
    bodyOptional: true,
    response: { 200: Type.Array(AttemptedRolloutSchema), 422: ErrorResponseSchema },
    handler: async (request, reply) => {
      const { limit, worker_id } = request.body;
      // Nothing to claim: no transaction, and the worker's record is left alone.
      if (limit <= 0) return reply.send([]);
      return reply.send(await store.dequeueRollouts(limit, worker_id));
    },
  });

  route(app, {
    method: 'POST',
    url: '/rollouts',
    tags,
    summary: 'Start a rollout now with its first attempt, for `worker_id` when given',
    body: StartRolloutRequestSchema,
    response: { 201: AttemptedRolloutSchema, 422: ErrorResponseSchema },
    handler: async (request, reply) => {
      const { worker_id, ...rollout } = request.body;
      return reply.code(201).send(await store.startRollout(rollout, worker_id, 'null'));
    },
  });

  pageRoutes(app, context, {
    url: '/rollouts',
    tags,
    summary: 'A page of rollouts, each with its latest attempt; insertion order unless sorted',
    query: RolloutQuerySchema,
    item: RolloutWithAttemptSchema,
    sortKeys: ROLLOUT_SORT_KEYS,
    version: () => store.versions.rollouts(),
    read: (query) => store.queryRollouts(query),
  });

  route(app, {
    method: 'GET',
    url: '/rollouts/:rollout_id',
    tags,
    summary: 'A rollout with its latest attempt, or null',
    response: { 200: Nullable(RolloutWithAttemptSchema) },
    handler: async (request, reply) => {
      const rollout = await store.getRollout(request.params.rollout_id);
      return rollout ? reply.send(rollout) : sendNull(reply);
    },
  });

  route(app, {
    method: 'POST',
    url: '/rollouts/:rollout_id',
    tags,
    summary: 'Update a rollout (only the keys sent)',
    body: UpdateRolloutRequestSchema,
    response: { 200: RolloutSchema, 400: ErrorResponseSchema, 404: ErrorResponseSchema, 422: ErrorResponseSchema },
    handler: async (request, reply) => {
      rejectExplicitNulls(request.body, ROLLOUT_UPDATE_NON_NULLABLE);
      return reply.send(await store.updateRollout(request.params.rollout_id, request.body));
    },
  });
}
