/**
 * One typed declaration per route: method, URL, query and body schemas, responses, summary and tags. From it come
 * Fastify's validation (through `validatorCompiler`, which answers in the pydantic shape of §6.2 and hands the
 * handler the normalised value), the OpenAPI documentation at /docs, and the handler's types — `request.body` is
 * `Static<typeof body>`, `request.params` is read off the URL's `:names` — so none of them can drift apart.
 */
import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  FastifySchemaCompiler,
  RouteHandlerMethod,
} from 'fastify';
import type { Static, TSchema } from '@sinclair/typebox';
import { checkBody } from './body.js';
import { fromQueryString } from './query.js';
import { validate } from './validate.js';

/** `/rollouts/:rollout_id/attempts/:attempt_id` → `{ rollout_id: string; attempt_id: string }`. */
export type PathParams<Url extends string> = Url extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<Rest>
  : Url extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

type Infer<S> = S extends TSchema ? Static<S> : undefined;

export type TypedRequest<Url extends string, Q, B> = FastifyRequest<{
  Params: PathParams<Url>;
  Querystring: Infer<Q>;
  Body: Infer<B>;
}>;

export interface RouteDeclaration<Url extends string, Q extends TSchema | undefined, B extends TSchema | undefined> {
  method: 'GET' | 'POST';
  url: Url;
  tags: readonly string[];
  summary: string;
  querystring?: Q;
  body?: B;
  /** No body (or a JSON `null`) reads as `{}` with the schema's defaults, instead of a 422. */
  bodyOptional?: boolean;
  /** Documentation of each answer by status; `{"detail"}` errors use `ErrorResponseSchema`. */
  response: Record<number, TSchema>;
  config?: FastifyContextConfig;
  handler: (request: TypedRequest<Url, Q, B>, reply: FastifyReply) => Promise<unknown>;
}

/** Bodies declared with `bodyOptional`, as the plain schema objects Fastify hands to `validatorCompiler`. */
const optionalBodies = new WeakSet<object>();

export function route<
  const Url extends string,
  Q extends TSchema | undefined = undefined,
  B extends TSchema | undefined = undefined,
>(app: FastifyInstance, declaration: RouteDeclaration<Url, Q, B>): void {
  const { method, url, tags, summary, querystring, body, bodyOptional, response, config, handler } = declaration;
  const schema: FastifySchema = { tags: [...tags], summary };
  if (querystring) schema.querystring = plain(querystring);
  if (body) {
    schema.body = plain(body);
    if (bodyOptional) optionalBodies.add(schema.body as object);
  }
  schema.response = Object.fromEntries(Object.entries(response).map(([code, s]) => [code, plain(s)]));
  app.route({ method, url, schema, config, handler: handler as unknown as RouteHandlerMethod });
}

/**
 * Fastify's validator for the JSON API plugins: our pydantic-shaped checks (validate.ts) instead of Ajv. Fastify puts
 * the returned `value` in place of `request.body`/`request.query`, and passes the returned `error` (a
 * ValidationError, class kept) to the plugin's error handler, which answers 422. Bodies come as parsed by
 * body.ts (invalid JSON is reported here, for routes that read a body); query strings are shaped first (query.ts).
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  if (httpPart === 'body') {
    const optional = optionalBodies.has(schema);
    return (data) => checkBody(schema, data, optional);
  }
  if (httpPart === 'querystring') return (data) => validate(schema, fromQueryString(schema, data), ['query']);
  return (data) => validate(schema, data, [httpPart === 'params' ? 'path' : String(httpPart)]);
};

/**
 * Responses are written with `JSON.stringify`: the response schemas document the API, and a schema-driven
 * serializer would drop the unknown keys that spans keep (§2.4).
 */
export const serializerCompiler = () => (data: unknown) => JSON.stringify(data);

/**
 * A `null` body (§2.1: a lookup that found nothing; a duplicate span on `/v1/agl`), sent as text so no serializer
 * can turn it into an empty body.
 */
export function sendNull(reply: FastifyReply, status = 200): FastifyReply {
  return reply.code(status).type('application/json').send('null');
}

/**
 * The plain JSON Schema of a TypeBox schema, without `$id`s: shared models are inlined in many routes, and Fastify
 * would refuse the same `$id` twice.
 */
function plain(schema: TSchema): TSchema {
  return JSON.parse(JSON.stringify(schema), (key, value) => (key === '$id' ? undefined : value)) as TSchema;
}
