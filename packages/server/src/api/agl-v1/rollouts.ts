/** Queue and rollout endpoints (§4.2–§4.8). */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  AttemptedRolloutSchema,
  ErrorResponseSchema,
  Nullable,
  QueryRolloutsRequestSchema,
  ROLLOUT_UPDATE_NON_NULLABLE,
  RolloutRequestSchema,
  RolloutSchema,
  RolloutWithAttemptSchema,
  UpdateRolloutRequestSchema,
} from '@agl/schemas';
import { rejectExplicitNulls } from '../../http/errors.js';
import { sendList } from '../../http/list-cache.js';
import { route, sendNull } from '../../http/route.js';
import type { RouteContext } from '../context.js';
import { AGL_V1_TAGS as TAGS } from './tags.js';

const tags = [TAGS.rollouts];

export function rolloutRoutes(app: FastifyInstance, { store, lists }: RouteContext): void {
  route(app, {
    method: 'POST',
    url: '/queues/rollouts/enqueue',
    tags,
    summary: 'Enqueue a rollout (queuing, no attempt)',
    body: RolloutRequestSchema,
    response: { 201: RolloutSchema, 422: ErrorResponseSchema },
    handler: async (request, reply) => reply.code(201).send(await store.enqueueRollout(request.body)),
  });

  route(app, {
    method: 'POST',
    url: '/queues/rollouts/dequeue',
    tags,
    summary: 'Claim the oldest queued rollout with a new attempt, or null (any body is ignored)',
    response: { 200: Nullable(AttemptedRolloutSchema) },
    handler: async (_request, reply) => {
      const claimed = await store.dequeueRollout();
      return claimed ? reply.send(claimed) : sendNull(reply);
    },
  });

  route(app, {
    method: 'POST',
    url: '/rollouts',
    tags,
    summary: 'Start a rollout now with its first attempt',
    body: RolloutRequestSchema,
    response: { 201: AttemptedRolloutSchema, 422: ErrorResponseSchema },
    handler: async (request, reply) => reply.code(201).send(await store.startRollout(request.body)),
  });

  route(app, {
    method: 'GET',
    url: '/rollouts',
    tags,
    summary: 'Every rollout in creation order, with its latest attempt (ETag/304)',
    response: { 200: Type.Array(RolloutWithAttemptSchema) },
    handler: async (request, reply) => {
      const entry = await lists.get('rollouts', store.versions.rollouts(), () => store.listRolloutsJson());
      return sendList(request, reply, entry);
    },
  });

  route(app, {
    method: 'POST',
    url: '/rollouts/search',
    tags,
    summary: 'Rollouts by status and/or ids (empty lists match nothing)',
    body: QueryRolloutsRequestSchema,
    response: { 200: Type.Array(RolloutWithAttemptSchema), 422: ErrorResponseSchema },
    handler: async (request, reply) =>
      reply.send(await store.searchRollouts(request.body.status, request.body.rollout_ids)),
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
