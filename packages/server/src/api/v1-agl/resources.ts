/** Resource endpoints of `/v1/agl` (§8.1): a paginated list; writes and lookups as on `/agl/v1` (4.14–4.17). */
import type { FastifyInstance } from 'fastify';
import { RESOURCES_SORT_KEYS, ResourcesQuerySchema, ResourcesUpdateSchema } from '@agl/schemas';
import { resourceWriteAndLookupRoutes } from '../agl-v1/resources.js';
import type { RouteContext } from '../context.js';
import { pageRoutes } from './pages.js';
import { V1_AGL_TAGS } from './tags.js';

const tags = [V1_AGL_TAGS.resources];

export function resourceRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store } = context;
  pageRoutes(app, context, {
    url: '/resources',
    tags,
    summary: 'A page of resource snapshots; insertion order unless sorted',
    query: ResourcesQuerySchema,
    item: ResourcesUpdateSchema,
    sortKeys: RESOURCES_SORT_KEYS,
    search: false,
    version: () => store.versions.resources(),
    read: (query) => store.queryResources(query),
  });
  resourceWriteAndLookupRoutes(app, context, tags);
}
