/**
 * Request bodies of the JSON API plugins. A JSON body is parsed and checked against the shape limits
 * (json-limits.ts) once, but a problem is only reported by routes that declare a body, as the documented 422:
 * dequeue and start-attempt on `/agl/v1` ignore whatever is sent (§4.3, §4.9). Bodies must be declared as JSON
 * (`requireJsonBodies`): that is what keeps a web page on another site from writing to the store with a plain form
 * post, which browsers send without asking first.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import type { ValidationIssue } from '@agl/schemas';
import { findJsonProblem, MAX_JSON_DEPTH, type JsonProblem } from './json-limits.js';
import { issue, validate, ValidationError, type Validated } from './validate.js';

/** A body that was sent but is not valid JSON; reported lazily by `checkBody`. */
export class InvalidJsonBody {
  constructor(
    readonly error: string,
    readonly position: number,
  ) {}
}

/** Valid JSON that breaks a shape limit (too deep, or a number JSON cannot represent). */
export class RejectedJsonBody {
  constructor(readonly problem: JsonProblem) {}
}

/** JSON inside an API plugin (problems reported later, see above); other types were refused by `requireJsonBodies`. */
export function registerBodyParsers(api: FastifyInstance): void {
  api.removeAllContentTypeParsers();
  api.addContentTypeParser(JSON_TYPE, { parseAs: 'string' }, (_request, text, done) => {
    done(null, parseJson(text as string));
  });
  api.addContentTypeParser('*', { parseAs: 'string' }, (_request, _text, done) => done(null, undefined));
}

/**
 * The root app serves no route that reads a body: whatever is sent to the dashboard or to an unknown path is read
 * (within the body limit) and dropped, so the answer is the 404/405 of the fallback, never a parser's error. API
 * plugins install their own parsers over this.
 */
export function discardBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, _text, done) => done(null, undefined));
}

/** `application/json` and the `+json` types, with any parameters. */
const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * An `onRequest` hook: a request that sends a body (or declares a content type) must declare JSON, else 415. A POST
 * with no body and no content type (dequeue, start-attempt, as the reference client sends them) passes.
 */
export function requireJsonBodies(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const type = request.headers['content-type'];
  const hasBody =
    request.headers['transfer-encoding'] !== undefined ||
    (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');
  if (type === undefined ? !hasBody : JSON_TYPE.test(type)) return done();
  const got = type === undefined ? 'no Content-Type' : `'${type.split(';', 1)[0]!.trim()}'`;
  reply
    .code(415)
    .type('application/json')
    .send({ detail: `Unsupported Media Type: send the body as JSON with Content-Type: application/json (got ${got})` });
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    return new InvalidJsonBody(message, position === undefined ? 0 : Number(position));
  }
  const problem = findJsonProblem(value);
  return problem ? new RejectedJsonBody(problem) : value;
}

/**
 * Checks a parsed request body against a schema: the normalised body, or a 422 for no body (unless `optional`: then
 * it reads as `{}`), invalid JSON, a shape limit, or any schema violation.
 */
export function checkBody(schema: TSchema, body: unknown, optional = false): Validated {
  // FastAPI treats a JSON `null` body like no body at all.
  if (body === undefined || body === null) {
    return optional ? validate(schema, {}, ['body']) : rejected(issue('missing', ['body'], null));
  }
  if (body instanceof InvalidJsonBody) {
    return rejected(issue('json_invalid', ['body', body.position], {}, 'JSON decode error', { error: body.error }));
  }
  if (body instanceof RejectedJsonBody) return rejected(limitIssue(body.problem));
  return validate(schema, body, ['body']);
}

function rejected(...issues: ValidationIssue[]): Validated {
  return { error: new ValidationError(issues) };
}

function limitIssue(problem: JsonProblem) {
  const loc = ['body', ...problem.path];
  if (problem.kind === 'not_finite') {
    return issue('finite_number', loc, String(problem.value), 'Input should be a finite number');
  }
  return issue(
    'too_deeply_nested',
    loc,
    null,
    `JSON objects and arrays may be nested at most ${MAX_JSON_DEPTH} levels deep`,
    { max_depth: MAX_JSON_DEPTH },
  );
}
