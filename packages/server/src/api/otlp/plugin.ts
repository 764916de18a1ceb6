/**
 * OTLP/HTTP ingestion as one encapsulated Fastify plugin (§8.7): `POST /v1/traces` stores the spans of an
 * `ExportTraceServiceRequest` sent as protobuf or JSON, optionally gzipped; `/v1/metrics`, `/v1/logs` and
 * `/v1/development/profiles` answer 501. The plugin brings its own body parsing (bytes, whatever the declared type),
 * its own error envelope (`google.rpc.Status` in the request's format) and the API key check; nothing of it leaks
 * onto the root app or the JSON APIs.
 */
import zlib from 'node:zlib';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireApiKey } from '../../http/guard.js';
import { StorageError } from '../../storage/errors.js';
import type { LightningStore } from '../../store/store.js';
import { spansFromRequest } from './convert.js';
import { OtlpError } from './errors.js';
import {
  MEDIA_TYPES,
  decodeRequest,
  encodeResponse,
  encodeStatus,
  formatOf,
  inflate,
  unsupportedContentType,
  type OtlpFormat,
} from './payload.js';

export interface OtlpOptions {
  store: LightningStore;
  /** Required on every request when set (`--api-key`), as on the JSON APIs. */
  apiKey?: string | null;
}

/** OTLP signals this store does not keep: the exporter gets a 501 and stops sending them. */
const UNSUPPORTED_SIGNALS = ['/v1/metrics', '/v1/logs', '/v1/development/profiles'];

export async function otlpApi(app: FastifyInstance, { store, apiKey }: OtlpOptions): Promise<void> {
  // Bodies are read as bytes whatever their declared type: the route decides, so an unsupported type gets OTLP's own
  // 400 rather than the JSON APIs' 415. Fastify's body limit bounds what is read; `inflate` bounds what gzip yields.
  const bodyLimit = app.initialConfig.bodyLimit ?? 1024 * 1024;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  if (apiKey) app.addHook('onRequest', requireApiKey(apiKey));
  app.setErrorHandler((error: FastifyError | Error, request, reply) => sendError(request, reply, error, store));

  app.post('/v1/traces', {
    schema: { hide: true },
    // Refused before the body is read: there is no point receiving megabytes in a format nobody here speaks.
    onRequest: (request, _reply, done) => {
      const contentType = request.headers['content-type'];
      done(formatOf(contentType) ? undefined : unsupportedContentType(contentType));
    },
    handler: async (request, reply) => {
      const format = formatOf(request.headers['content-type'])!;
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const body = await inflate(raw, request.headers['content-encoding'], bodyLimit);
      const { spans, skipped } = spansFromRequest(decodeRequest(body, format));
      const results = spans.length > 0 ? await store.addSpans(spans) : [];
      // `Rollout <id> not found` / `Attempt <id> not found`: the store checked every span on its own.
      for (const result of results) if ('error' in result) skipped.add(result.error.message);
      if (skipped.total > 0) request.log.warn(`OTLP: skipped ${skipped.total} span(s): ${skipped.describe()}`);
      const partial =
        skipped.total > 0
          ? { rejected: skipped.total, message: `Skipped ${skipped.total} span(s): ${skipped.describe()}` }
          : null;
      return send(request, reply, 200, format, encodeResponse(format, partial));
    },
  });

  for (const path of UNSUPPORTED_SIGNALS) {
    app.post(path, { schema: { hide: true } }, async (_request, reply) => reply.code(501).send());
  }
}

/** The answer in the request's format (`Content-Type` echoes it), gzipped when the client accepts gzip. */
function send(request: FastifyRequest, reply: FastifyReply, status: number, format: OtlpFormat, body: Buffer) {
  reply.code(status).type(MEDIA_TYPES[format]).header('Vary', 'Accept-Encoding');
  if (!acceptsGzip(request.headers['accept-encoding'])) return reply.send(body);
  return reply.header('Content-Encoding', 'gzip').send(zlib.gzipSync(body));
}

function sendError(request: FastifyRequest, reply: FastifyReply, raw: FastifyError | Error, store: LightningStore) {
  const error = raw instanceof StorageError ? raw : (store.describeError(raw) ?? raw);
  const format = formatOf(request.headers['content-type']) ?? 'protobuf';
  if (error instanceof OtlpError)
    return send(request, reply, error.statusCode, format, encodeStatus(format, error.statusCode, error.message));
  if (error instanceof StorageError) {
    if (error.status >= 500) request.log.error({ err: error }, 'storage error');
    if (error.retryAfterSeconds !== null) reply.header('Retry-After', String(error.retryAfterSeconds));
    return send(request, reply, error.status, format, encodeStatus(format, error.status, error.message));
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const message =
      (error as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'Request body is too large' : error.message;
    return send(request, reply, status, format, encodeStatus(format, status, message));
  }
  request.log.error({ err: error }, 'unhandled error in OTLP ingestion');
  return send(request, reply, 500, format, encodeStatus(format, 500, 'Internal server error'));
}

/** Whether `Accept-Encoding` allows gzip (`gzip` or `*` with a non-zero quality). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let gzip: number | undefined;
  let any: number | undefined;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const quality = q === undefined ? 1 : Number(q);
    if (name.trim() === 'gzip' || name.trim() === 'x-gzip') gzip = quality;
    else if (name.trim() === '*') any = quality;
  }
  return (gzip ?? any ?? 0) > 0;
}
