/**
 * Generation B (`/v1/agl`, docs/protocol.md §8) as one encapsulated plugin, over the same store as `/agl/v1`: its
 * parsers, hooks, validation and error envelopes (http/json-api.ts) apply to its routes only, so nothing here touches
 * `/v1/traces`. Register it with `prefix: V1_API_PREFIX` exactly.
 */
import type { FastifyInstance } from 'fastify';
import { installJsonApi } from '../../http/json-api.js';
import type { ApiPluginOptions } from '../context.js';
import { attemptRoutes } from './attempts.js';
import { healthAndWaitRoutes } from './health-and-waits.js';
import { resourceRoutes } from './resources.js';
import { rolloutRoutes } from './rollouts.js';
import { spanRoutes } from './spans.js';
import { workerRoutes } from './workers.js';

export async function v1AglApi(api: FastifyInstance, options: ApiPluginOptions): Promise<void> {
  installJsonApi(api, options);
  for (const routes of [healthAndWaitRoutes, rolloutRoutes, attemptRoutes, resourceRoutes, spanRoutes, workerRoutes]) {
    routes(api, options);
  }
}
