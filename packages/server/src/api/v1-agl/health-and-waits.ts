/** Health, statistics (§8.6) and waits in request order (§8.3) on `/v1/agl`. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  ErrorResponseSchema,
  HealthResponseSchema,
  RolloutSchema,
  StatisticsSchema,
  WaitForRolloutsRequestSchema,
} from '@agl/schemas';
import { untilClientLeaves } from '../../http/disconnect.js';
import { route } from '../../http/route.js';
import { NO_WATCHDOG, type RouteContext } from '../context.js';
import { V1_AGL_TAGS } from './tags.js';

const tags = [V1_AGL_TAGS.health];

export function healthAndWaitRoutes(app: FastifyInstance, { store }: RouteContext): void {
  route(app, {
    method: 'GET',
    url: '/health',
    config: { ...NO_WATCHDOG, public: true },
    tags,
    summary: 'Liveness, and background problems that persist (`degraded`); touches no storage',
    response: { 200: HealthResponseSchema },
    handler: async () => store.healthReport(),
  });

  route(app, {
    method: 'GET',
    url: '/statistics',
    tags,
    summary: 'The store implementation, how much it holds, and seconds since it started',
    response: { 200: StatisticsSchema },
    handler: async () => store.statistics(),
  });

  route(app, {
    method: 'POST',
    url: '/waits/rollouts',
    tags,
    summary:
      'Long-poll until the listed rollouts are terminal or the timeout (seconds; null = none) passes; request order',
    body: WaitForRolloutsRequestSchema,
    response: { 200: Type.Array(RolloutSchema), 422: ErrorResponseSchema },
    handler: async (request, reply) => {
      const { rollout_ids, timeout } = request.body;
      return reply.send(
        await untilClientLeaves(reply, (signal) => store.waitForRollouts(rollout_ids, timeout, signal, 'request')),
      );
    },
  });
}
