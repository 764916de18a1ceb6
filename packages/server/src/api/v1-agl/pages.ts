/**
 * Paginated queries (§8.2): each collection is offered as `GET <path>` with query parameters and as
 * `POST <path>/search` with the same fields as a JSON body, answering the same page. After the schema (422 for a bad
 * `sort_order`, `filter_logic` or a non-integer `limit`), `limit`, `offset` and `sort_by` are checked here — 400s
 * before any store work — and the checked query goes to the store. GET pages carry an ETag (§7g): a page is built
 * once per store version and normalised query, so an unchanged poll answers 304 without reading storage.
 */
import type { FastifyInstance } from 'fastify';
import type { Static, TSchema } from '@sinclair/typebox';
import { ErrorResponseSchema, Paginated, QUERY_MESSAGES, type PaginatedResult, type SortOrder } from '@agl/schemas';
import { HttpError } from '../../http/errors.js';
import { sendList } from '../../http/list-cache.js';
import { route, type PathParams } from '../../http/route.js';
import type { Checked } from '../../storage/engine.js';
import type { RouteContext } from '../context.js';

interface PageFields {
  limit: number;
  offset: number;
  sort_by: string | null;
  sort_order: SortOrder;
}

/** The 400s of §8.2; an absent `sort_by` becomes the collection's default order (null: insertion order). */
export function checkPage<Q extends PageFields, K extends string>(
  query: Q,
  keys: readonly K[],
  defaultSortBy: K | null,
): Checked<Q, K> {
  if (query.limit !== -1 && query.limit <= 0) throw new HttpError(400, QUERY_MESSAGES.limit);
  if (query.offset < 0) throw new HttpError(400, QUERY_MESSAGES.offset);
  const sortBy = query.sort_by ?? defaultSortBy;
  if (sortBy !== null && !isKey(keys, sortBy)) throw new HttpError(400, QUERY_MESSAGES.sortBy(sortBy, keys));
  return { ...query, sort_by: sortBy };
}

function isKey<K extends string>(keys: readonly K[], value: string): value is K {
  return (keys as readonly string[]).includes(value);
}

/** The validated query of schema `S` (its paging fields are those of every query schema, v1.ts). */
type PageQuery<S extends TSchema> = Static<S> & PageFields;

export interface PageSpec<Url extends string, S extends TSchema, K extends string, T> {
  /** The GET path; the search is `POST <url>/search`. */
  url: Url;
  tags: readonly string[];
  /** What the page lists and how it is ordered by default. */
  summary: string;
  query: S;
  /** The item schema (documentation). */
  item: TSchema;
  sortKeys: readonly K[];
  defaultSortBy?: K;
  /** Whether to also offer `POST <url>/search` (resources have none: it would shadow `POST /resources/{id}`). */
  search?: boolean;
  /** The store version a page depends on; a page is rebuilt when it moves. */
  version: (query: Checked<PageQuery<S>, K>, params: PathParams<Url>) => Promise<string>;
  read: (query: Checked<PageQuery<S>, K>, params: PathParams<Url>) => Promise<PaginatedResult<T>>;
}

export function pageRoutes<const Url extends string, S extends TSchema, K extends string, T>(
  app: FastifyInstance,
  { lists }: RouteContext,
  spec: PageSpec<Url, S, K, T>,
): void {
  const { url, tags, summary, query: schema, sortKeys, version, read } = spec;
  const defaultSortBy = spec.defaultSortBy ?? null;
  const response = { 200: Paginated(spec.item, 'Page'), 400: ErrorResponseSchema, 422: ErrorResponseSchema };
  const check = (query: unknown) => checkPage(query as PageQuery<S>, sortKeys, defaultSortBy);

  route(app, {
    method: 'GET',
    url,
    tags,
    summary: `${summary} (ETag/304)`,
    querystring: schema,
    response,
    handler: async (request, reply) => {
      const params = request.params as PathParams<Url>;
      const query = check(request.query);
      const key = `v1:${url}:${JSON.stringify(params)}:${JSON.stringify(query)}`;
      const entry = await lists.get(key, await version(query, params), async () =>
        JSON.stringify(await read(query, params)),
      );
      return sendList(request, reply, entry);
    },
  });

  if (spec.search === false) return;
  route(app, {
    method: 'POST',
    url: `${url}/search`,
    tags,
    summary: `${summary}; the GET query as a JSON body (\`{}\` allowed)`,
    body: schema,
    response,
    handler: async (request, reply) => {
      const query = check(request.body);
      return reply.send(await read(query, request.params as unknown as PathParams<Url>));
    },
  });
}
