/**
 * Generation A (`/agl/v1`, docs/protocol.md §2–§7) as one encapsulated plugin: its parsers, hooks, validation and error
 * envelopes (http/json-api.ts) apply to its routes only. Register it with `prefix: API_PREFIX`.
 */
import type { FastifyInstance } from 'fastify';
import { installJsonApi } from '../../http/json-api.js';
import type { ApiPluginOptions } from '../context.js';
import { attemptRoutes } from './attempts.js';
import { healthAndWaitRoutes } from './health-and-waits.js';
import { resourceRoutes } from './resources.js';
import { rolloutRoutes } from './rollouts.js';
import { spanRoutes } from './spans.js';

export async function aglV1Api(api: FastifyInstance, options: ApiPluginOptions): Promise<void> {
  installJsonApi(api, options);
  for (const routes of [healthAndWaitRoutes, rolloutRoutes, attemptRoutes, resourceRoutes, spanRoutes]) {
    routes(api, options);
  }
}
