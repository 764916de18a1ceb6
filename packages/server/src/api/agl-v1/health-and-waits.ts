/** Health (§4.1) and waits (§4.21). */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ErrorResponseSchema, HealthResponseSchema, RolloutSchema, WaitForRolloutsRequestSchema } from '@agl/schemas';
import { untilClientLeaves } from '../../http/disconnect.js';
import { route } from '../../http/route.js';
import { NO_WATCHDOG, type RouteContext } from '../context.js';
import { AGL_V1_TAGS as TAGS } from './tags.js';

export function healthAndWaitRoutes(app: FastifyInstance, { store }: RouteContext): void {
  route(app, {
    method: 'GET',
    url: '/health',
    config: { ...NO_WATCHDOG, public: true },
    tags: [TAGS.health],
    summary: 'Liveness, and background problems that persist (`degraded`); touches no storage',
    response: { 200: HealthResponseSchema },
    handler: async () => store.healthReport(),
  });

  route(app, {
    method: 'POST',
    url: '/waits/rollouts',
    tags: [TAGS.health],
    summary:
      'Long-poll until the listed rollouts are terminal or the timeout (seconds; null = none) passes; completion order',
    body: WaitForRolloutsRequestSchema,
    response: { 200: Type.Array(RolloutSchema), 422: ErrorResponseSchema },
    handler: async (request, reply) => {
      const { rollout_ids, timeout } = request.body;
      return reply.send(
        await untilClientLeaves(reply, (signal) => store.waitForRollouts(rollout_ids, timeout, signal)),
      );
    },
  });
}
