/** Health (§4.1) and waits (§4.21). */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  ErrorResponseSchema,
  HealthResponseSchema,
  RolloutSchema,
  WaitForRolloutsRequestSchema,
  type WaitForRolloutsRequest,
} from '@agl/schemas';
import { readBody } from '../http/body.js';
import { NO_WATCHDOG, docs, type RouteContext } from './context.js';

export async function healthAndWaitRoutes(app: FastifyInstance, { store }: RouteContext): Promise<void> {
  app.get('/health', {
    config: { ...NO_WATCHDOG, public: true },
    schema: docs({
      tags: ['health'],
      summary: 'Liveness, and background problems that persist (`degraded`); touches no storage',
      response: { 200: HealthResponseSchema },
    }),
    handler: async () => store.healthReport(),
  });

  app.post('/waits/rollouts', {
    schema: docs({
      tags: ['waits'],
      summary: 'Long-poll until the listed rollouts are terminal or the timeout (seconds; null = none) passes',
      body: WaitForRolloutsRequestSchema,
      response: { 200: Type.Array(RolloutSchema), 422: ErrorResponseSchema },
    }),
    handler: async (request, reply) => {
      const body = readBody<WaitForRolloutsRequest>(WaitForRolloutsRequestSchema, request.body);
      // A client that hangs up ends its wait (§4.21); 'close' before the response finished means it left.
      const controller = new AbortController();
      const onClose = () => {
        if (!reply.raw.writableFinished) controller.abort();
      };
      reply.raw.once('close', onClose);
      try {
        return reply.send(await store.waitForRollouts(body.rollout_ids, body.timeout, controller.signal));
      } finally {
        reply.raw.off('close', onClose);
      }
    },
  });
}
