/**
 * Request bodies. Every body is read as text and parsed here, so that a malformed body becomes the documented
 * 422 — but only on endpoints that read a body: dequeue and start-attempt ignore whatever is sent (§4.3, §4.9).
 */
import type { FastifyInstance } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { issue, validate, ValidationError } from './validate.js';

/** A body that was sent but is not valid JSON; reported lazily by `readBody`. */
export class InvalidJsonBody {
  constructor(
    readonly error: string,
    readonly position: number,
  ) {}
}

/** A body sent with a non-JSON content type. */
export class NonJsonBody {
  constructor(readonly text: string) {}
}

export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    done(null, parseJson(text as string));
  });
  // §2.1: a body without a Content-Type is JSON too; other types are kept as text and refused where read.
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, text, done) => {
    done(null, request.headers['content-type'] ? new NonJsonBody(text as string) : parseJson(text as string));
  });
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    return new InvalidJsonBody(message, position === undefined ? 0 : Number(position));
  }
}

/** Validates a request body against a schema: 422 for no body, invalid JSON, or any schema violation. */
export function readBody<T>(schema: TSchema, body: unknown): T {
  if (body === undefined || body === null) {
    // FastAPI treats a JSON `null` body like no body at all.
    throw new ValidationError([issue('missing', ['body'], null)]);
  }
  if (body instanceof InvalidJsonBody) {
    throw new ValidationError([
      issue('json_invalid', ['body', body.position], {}, 'JSON decode error', { error: body.error }),
    ]);
  }
  if (body instanceof NonJsonBody) {
    throw new ValidationError([issue('model_attributes_type', ['body'], body.text)]);
  }
  return validate<T>(schema, body, ['body']);
}
