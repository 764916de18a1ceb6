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
  type QueryRolloutsRequest,
  type RolloutRequest,
  type UpdateRolloutRequest,
} from '@agl/schemas';
import { readBody } from '../http/body.js';
import { rejectExplicitNulls } from '../http/errors.js';
import { sendList } from '../http/list-cache.js';
import { docs, sendNull, type RouteContext } from './context.js';

type IdParams = { Params: { rollout_id: string } };
const tags = ['rollouts'];
const errors = { 404: ErrorResponseSchema, 422: ErrorResponseSchema };

export async function rolloutRoutes(app: FastifyInstance, { store, lists }: RouteContext): Promise<void> {
  app.post('/queues/rollouts/enqueue', {
    schema: docs({
      tags,
      summary: 'Enqueue a rollout (queuing, no attempt)',
      body: RolloutRequestSchema,
      response: { 201: RolloutSchema, 422: ErrorResponseSchema },
    }),
    handler: async (request, reply) =>
      reply.code(201).send(await store.enqueueRollout(readBody<RolloutRequest>(RolloutRequestSchema, request.body))),
  });

  app.post('/queues/rollouts/dequeue', {
    schema: docs({
      tags,
      summary: 'Claim the oldest queued rollout with a new attempt, or null',
      response: { 200: Nullable(AttemptedRolloutSchema) },
    }),
    handler: async (_request, reply) => {
      const claimed = await store.dequeueRollout();
      return claimed ? reply.send(claimed) : sendNull(reply);
    },
  });

  app.post('/rollouts', {
    schema: docs({
      tags,
      summary: 'Start a rollout now with its first attempt',
      body: RolloutRequestSchema,
      response: { 201: AttemptedRolloutSchema, 422: ErrorResponseSchema },
    }),
    handler: async (request, reply) =>
      reply.code(201).send(await store.startRollout(readBody<RolloutRequest>(RolloutRequestSchema, request.body))),
  });

  app.get('/rollouts', {
    schema: docs({
      tags,
      summary: 'Every rollout in creation order, with its latest attempt (ETag/304)',
      response: { 200: Type.Array(RolloutWithAttemptSchema) },
    }),
    handler: async (request, reply) => {
      const entry = await lists.get('rollouts', store.versions.rollouts(), () => store.listRolloutsJson());
      return sendList(request, reply, entry);
    },
  });

  app.post('/rollouts/search', {
    schema: docs({
      tags,
      summary: 'Rollouts by status and/or ids (empty lists match nothing)',
      body: QueryRolloutsRequestSchema,
      response: { 200: Type.Array(RolloutWithAttemptSchema), 422: ErrorResponseSchema },
    }),
    handler: async (request, reply) => {
      const query = readBody<QueryRolloutsRequest>(QueryRolloutsRequestSchema, request.body);
      return reply.send(await store.searchRollouts(query.status, query.rollout_ids));
    },
  });

  app.get<IdParams>('/rollouts/:rollout_id', {
    schema: docs({
      tags,
      summary: 'A rollout with its latest attempt, or null',
      response: { 200: Nullable(RolloutWithAttemptSchema) },
    }),
    handler: async (request, reply) => {
      const rollout = await store.getRollout(request.params.rollout_id);
      return rollout ? reply.send(rollout) : sendNull(reply);
    },
  });

  app.post<IdParams>('/rollouts/:rollout_id', {
    schema: docs({
      tags,
      summary: 'Update a rollout (only the keys sent)',
      body: UpdateRolloutRequestSchema,
      response: { 200: RolloutSchema, 400: ErrorResponseSchema, ...errors },
    }),
    handler: async (request, reply) => {
      const update = readBody<UpdateRolloutRequest>(UpdateRolloutRequestSchema, request.body);
      rejectExplicitNulls(update, ROLLOUT_UPDATE_NON_NULLABLE);
      return reply.send(await store.updateRollout(request.params.rollout_id, update));
    },
  });
}
