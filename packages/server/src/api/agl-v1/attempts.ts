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
} from '@agl/schemas';
import { rejectExplicitNulls } from '../../http/errors.js';
import { sendList } from '../../http/list-cache.js';
import { route, sendNull } from '../../http/route.js';
import type { RouteContext } from '../context.js';
import { AGL_V1_TAGS as TAGS } from './tags.js';

const tags = [TAGS.attempts];

export function attemptRoutes(app: FastifyInstance, { store, lists }: RouteContext): void {
  route(app, {
    method: 'GET',
    url: '/rollouts/:rollout_id/attempts',
    tags,
    summary: 'Attempts of a rollout, oldest first (ETag/304)',
    response: { 200: Type.Array(AttemptSchema) },
    handler: async (request, reply) => {
      const { rollout_id } = request.params;
      const entry = await lists.get(`attempts:${rollout_id}`, store.versions.rollouts(), async () =>
        JSON.stringify(await store.listAttempts(rollout_id)),
      );
      return sendList(request, reply, entry);
    },
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
    summary: 'Start a new attempt now (manual retry; ignores max_attempts and any body)',
    response: { 201: AttemptedRolloutSchema, 404: ErrorResponseSchema },
    handler: async (request, reply) => reply.code(201).send(await store.startAttempt(request.params.rollout_id)),
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
