/**
 * Error envelopes of §6: `{"detail": ...}` for every 4xx, and a 500 that names the error class but never leaks a
 * traceback unless the server runs with `--debug` (§7c). No request can turn a validation problem into a 500.
 *
 * The JSON API plugins install `installApiErrorHandler` (the store's errors: 422 issues, 400, 404, storage
 * failures); the root app keeps only `installFallbackErrorHandler` for what happens outside them (a body too large
 * for an unknown path, a static file that cannot be read), so another protocol's plugin can answer in its own shape.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StorageError } from '../storage/errors.js';
import { NotFoundError } from '../store/errors.js';
import { ValidationError } from './validate.js';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'HttpError';
  }
}

/** §6.3: the first non-nullable update field sent as an explicit null. */
export function rejectExplicitNulls(body: Record<string, unknown>, fields: readonly string[]): void {
  const field = fields.find((name) => Object.hasOwn(body, name) && body[name] === null);
  if (field) throw new HttpError(400, `${field} is invalid; it cannot be a null value.`);
}

export function installApiErrorHandler(
  api: FastifyInstance,
  debug: boolean,
  describeStorageError: (error: unknown) => StorageError | null,
): void {
  api.setErrorHandler((raw: FastifyError | Error, request, reply) => {
    const error = raw instanceof StorageError ? raw : (describeStorageError(raw) ?? raw);
    if (error instanceof ValidationError) return reply.code(422).send({ detail: error.issues });
    if (error instanceof HttpError) return reply.code(error.statusCode).send({ detail: error.detail });
    if (error instanceof NotFoundError) return reply.code(404).send({ detail: error.message });
    if (error instanceof StorageError) {
      // Said in words (what is wrong with which file), not a bare 500; 503s invite a retry.
      if (error.status >= 500) request.log.error({ err: error }, 'storage error');
      if (error.retryAfterSeconds !== null) reply.header('Retry-After', String(error.retryAfterSeconds));
      return reply.code(error.status).send({ detail: error.message, error_type: error.code });
    }
    return answerOther(error, request, reply, debug);
  });
}

export function installFallbackErrorHandler(app: FastifyInstance, debug: boolean): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => answerOther(error, request, reply, debug));
}

/** Fastify's own 4xx (body too large, bad content length) in words; anything else is a 500. */
function answerOther(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply, debug: boolean) {
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return reply.code(status).send({ detail: describeClientError(error as FastifyError) });
  }
  request.log.error({ err: error }, 'unhandled error');
  const body: Record<string, string> = { detail: 'Internal server error', error_type: error.constructor.name };
  if (debug && error.stack) body.traceback = error.stack;
  return reply.code(500).send(body);
}

function describeClientError(error: FastifyError): string {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'Request body is too large';
  return error.message;
}
