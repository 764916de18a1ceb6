/** Resource snapshot endpoints (§4.13–§4.17). */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ErrorResponseSchema, NamedResourcesSchema, Nullable, ResourcesUpdateSchema } from '@agl/schemas';
import { sendList } from '../../http/list-cache.js';
import { route, sendNull } from '../../http/route.js';
import type { RouteContext } from '../context.js';
import { AGL_V1_TAGS as TAGS } from './tags.js';

/** The write and lookup routes, which `/v1/agl` serves unchanged (§8.1: "as 4.14–4.17"); only the list differs. */
export function resourceWriteAndLookupRoutes(
  app: FastifyInstance,
  { store }: RouteContext,
  tags: readonly string[],
): void {
  route(app, {
    method: 'POST',
    url: '/resources',
    tags,
    summary: 'Add a snapshot (new rs- id) and make it latest',
    body: NamedResourcesSchema,
    response: { 201: ResourcesUpdateSchema, 422: ErrorResponseSchema },
    handler: async (request, reply) => reply.code(201).send(await store.addResources(request.body)),
  });

  route(app, {
    method: 'GET',
    url: '/resources/latest',
    tags,
    summary: 'The most recently written snapshot, or null',
    response: { 200: Nullable(ResourcesUpdateSchema) },
    handler: async (_request, reply) => {
      const latest = await store.getLatestResources();
      return latest ? reply.send(latest) : sendNull(reply);
    },
  });

  route(app, {
    method: 'POST',
    url: '/resources/:resources_id',
    tags,
    summary: 'Create or replace a snapshot under this id and make it latest',
    body: NamedResourcesSchema,
    response: { 200: ResourcesUpdateSchema, 422: ErrorResponseSchema },
    handler: async (request, reply) =>
      reply.send(await store.upsertResources(request.params.resources_id, request.body)),
  });

  route(app, {
    method: 'GET',
    url: '/resources/:resources_id',
    tags,
    summary: 'A snapshot by id, or null',
    response: { 200: Nullable(ResourcesUpdateSchema) },
    handler: async (request, reply) => {
      const found = await store.getResources(request.params.resources_id);
      return found ? reply.send(found) : sendNull(reply);
    },
  });
}

export function resourceRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, lists } = context;
  route(app, {
    method: 'GET',
    url: '/resources',
    tags: [TAGS.resources],
    summary: 'Every snapshot, most recent write first (extension; ETag/304)',
    response: { 200: Type.Array(ResourcesUpdateSchema) },
    handler: async (request, reply) => {
      const entry = await lists.get('resources', store.versions.resources(), async () =>
        JSON.stringify(await store.listResources()),
      );
      return sendList(request, reply, entry);
    },
  });
  resourceWriteAndLookupRoutes(app, context, [TAGS.resources]);
}
