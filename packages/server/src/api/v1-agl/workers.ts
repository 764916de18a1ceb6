/** Worker endpoints of `/v1/agl` (§8.4): pages, lookups and heartbeats; dequeues and attempt updates do the rest. */
import type { FastifyInstance } from 'fastify';
import {
  ErrorResponseSchema,
  Nullable,
  WORKER_SORT_KEYS,
  WorkerHeartbeatRequestSchema,
  WorkerQuerySchema,
  WorkerSchema,
} from '@agl/schemas';
import { rejectExplicitNulls } from '../../http/errors.js';
import { route, sendNull } from '../../http/route.js';
import type { RouteContext } from '../context.js';
import { pageRoutes } from './pages.js';
import { V1_AGL_TAGS } from './tags.js';

const tags = [V1_AGL_TAGS.workers];

export function workerRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store } = context;
  pageRoutes(app, context, {
    url: '/workers',
    tags,
    summary: 'A page of workers; first-seen order unless sorted',
    query: WorkerQuerySchema,
    item: WorkerSchema,
    sortKeys: WORKER_SORT_KEYS,
    version: () => store.versions.workers(),
    read: (query) => store.queryWorkers(query),
  });

  route(app, {
    method: 'GET',
    url: '/workers/:worker_id',
    tags,
    summary: 'A worker, or null',
    response: { 200: Nullable(WorkerSchema) },
    handler: async (request, reply) => {
      const worker = await store.getWorker(request.params.worker_id);
      return worker ? reply.send(worker) : sendNull(reply);
    },
  });

  route(app, {
    method: 'POST',
    url: '/workers/:worker_id',
    tags,
    summary: 'A worker heartbeat, with its system snapshot in `heartbeat_stats` when sent (body optional)',
    body: WorkerHeartbeatRequestSchema,
    bodyOptional: true,
    response: { 200: WorkerSchema, 400: ErrorResponseSchema, 422: ErrorResponseSchema },
    handler: async (request, reply) => {
      rejectExplicitNulls(request.body, ['heartbeat_stats']);
      const stats = request.body.heartbeat_stats ?? undefined;
      return reply.send(await store.heartbeatWorker(request.params.worker_id, stats));
    },
  });
}
