/** Resource snapshot endpoints (§4.13–§4.17). */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  ErrorResponseSchema,
  NamedResourcesSchema,
  Nullable,
  ResourcesUpdateSchema,
  type NamedResources,
} from '@agl/schemas';
import { readBody } from '../http/body.js';
import { sendList } from '../http/list-cache.js';
import { docs, sendNull, type RouteContext } from './context.js';

type Params = { Params: { resources_id: string } };
const tags = ['resources'];

export async function resourceRoutes(app: FastifyInstance, { store, lists }: RouteContext): Promise<void> {
  app.get('/resources', {
    schema: docs({
      tags,
      summary: 'Every snapshot, most recent write first (extension; ETag/304)',
      response: { 200: Type.Array(ResourcesUpdateSchema) },
    }),
    handler: async (request, reply) => {
      const entry = await lists.get('resources', store.versions.resources(), async () =>
        JSON.stringify(await store.listResources()),
      );
      return sendList(request, reply, entry);
    },
  });

  app.post('/resources', {
    schema: docs({
      tags,
      summary: 'Add a snapshot (new rs- id) and make it latest',
      body: NamedResourcesSchema,
      response: { 201: ResourcesUpdateSchema, 422: ErrorResponseSchema },
    }),
    handler: async (request, reply) =>
      reply.code(201).send(await store.addResources(readBody<NamedResources>(NamedResourcesSchema, request.body))),
  });

  app.get('/resources/latest', {
    schema: docs({
      tags,
      summary: 'The most recently written snapshot, or null',
      response: { 200: Nullable(ResourcesUpdateSchema) },
    }),
    handler: async (_request, reply) => {
      const latest = await store.getLatestResources();
      return latest ? reply.send(latest) : sendNull(reply);
    },
  });

  app.post<Params>('/resources/:resources_id', {
    schema: docs({
      tags,
      summary: 'Create or replace a snapshot under this id and make it latest',
      body: NamedResourcesSchema,
      response: { 200: ResourcesUpdateSchema, 422: ErrorResponseSchema },
    }),
    handler: async (request, reply) => {
      const resources = readBody<NamedResources>(NamedResourcesSchema, request.body);
      return reply.send(await store.upsertResources(request.params.resources_id, resources));
    },
  });

  app.get<Params>('/resources/:resources_id', {
    schema: docs({ tags, summary: 'A snapshot by id, or null', response: { 200: Nullable(ResourcesUpdateSchema) } }),
    handler: async (request, reply) => {
      const found = await store.getResources(request.params.resources_id);
      return found ? reply.send(found) : sendNull(reply);
    },
  });
}
