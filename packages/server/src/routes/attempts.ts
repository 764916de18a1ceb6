/** Attempt endpoints (§4.9–§4.12). */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  ATTEMPT_UPDATE_NON_NULLABLE,
  AttemptSchema,
  AttemptedRolloutSchema,
  ErrorResponseSchema,
  Nullable,
  UpdateAttemptRequestSchema,
  type UpdateAttemptRequest,
} from '@agl/schemas';
import { readBody } from '../http/body.js';
import { rejectExplicitNulls } from '../http/errors.js';
import { sendList } from '../http/list-cache.js';
import { docs, sendNull, type RouteContext } from './context.js';

type Params = { Params: { rollout_id: string; attempt_id: string } };
const tags = ['attempts'];

export async function attemptRoutes(app: FastifyInstance, { store, lists }: RouteContext): Promise<void> {
  app.get<Params>('/rollouts/:rollout_id/attempts', {
    schema: docs({
      tags,
      summary: 'Attempts of a rollout, oldest first (ETag/304)',
      response: { 200: Type.Array(AttemptSchema) },
    }),
    handler: async (request, reply) => {
      const { rollout_id } = request.params;
      const entry = await lists.get(`attempts:${rollout_id}`, store.versions.rollouts(), async () =>
        JSON.stringify(await store.listAttempts(rollout_id)),
      );
      return sendList(request, reply, entry);
    },
  });

  app.get<Params>('/rollouts/:rollout_id/attempts/latest', {
    schema: docs({
      tags,
      summary: 'The attempt with the highest sequence id, or null',
      response: { 200: Nullable(AttemptSchema) },
    }),
    handler: async (request, reply) => {
      const attempt = await store.getLatestAttempt(request.params.rollout_id);
      return attempt ? reply.send(attempt) : sendNull(reply);
    },
  });

  app.post<Params>('/rollouts/:rollout_id/attempts', {
    schema: docs({
      tags,
      summary: 'Start a new attempt now (manual retry; ignores max_attempts)',
      response: { 201: AttemptedRolloutSchema, 404: ErrorResponseSchema },
    }),
    handler: async (request, reply) => reply.code(201).send(await store.startAttempt(request.params.rollout_id)),
  });

  app.post<Params>('/rollouts/:rollout_id/attempts/:attempt_id', {
    schema: docs({
      tags,
      summary: 'Update an attempt (`latest` addresses the newest); a status on the latest attempt moves the rollout',
      body: UpdateAttemptRequestSchema,
      response: { 200: AttemptSchema, 400: ErrorResponseSchema, 404: ErrorResponseSchema, 422: ErrorResponseSchema },
    }),
    handler: async (request, reply) => {
      const update = readBody<UpdateAttemptRequest>(UpdateAttemptRequestSchema, request.body);
      rejectExplicitNulls(update, ATTEMPT_UPDATE_NON_NULLABLE);
      return reply.send(await store.updateAttempt(request.params.rollout_id, request.params.attempt_id, update));
    },
  });
}
