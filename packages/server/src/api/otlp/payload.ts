/**
 * OTLP/HTTP bodies in and out (§8.7): the two formats, gzip request bodies, decoding, and the encoded answers — an
 * `ExportTraceServiceResponse` on success and a `google.rpc.Status` on error, each in the request's format.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import protojson from 'protobufjs/ext/protojson.js';
import { OtlpError, parseError } from './errors.js';
import { decodeJsonRequest } from './json.js';
import {
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
  MessageBudgetExceeded,
  RpcStatus,
  withMessageBudget,
  type OtlpTraceRequest,
} from './schema.js';

export type OtlpFormat = 'protobuf' | 'json';

export const MEDIA_TYPES: Record<OtlpFormat, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/**
 * At most this many protobuf messages (spans, events, links, key-values, values) per request. A decoded message
 * costs ~40 bytes when empty and ~100 with a few fields, so the cap bounds a request's heap at a few hundred MB. A
 * real batch (512 spans, even with long token-id lists) stays well below; a body of millions of two-byte empty
 * messages is refused with a 413 instead of exhausting the heap.
 */
export const MAX_MESSAGES_PER_REQUEST = 4_000_000;

/** The google.rpc.Code for an HTTP status: INVALID_ARGUMENT (3) for a bad request, as OTLP/HTTP servers answer. */
function rpcCode(httpStatus: number): number {
  if (httpStatus === 413 || httpStatus === 507) return 8; // RESOURCE_EXHAUSTED
  if (httpStatus === 503) return 14; // UNAVAILABLE: the client retries
  if (httpStatus >= 500) return 13; // INTERNAL
  return 3;
}

/** The format a `Content-Type` names, parameters ignored; null for anything else. */
export function formatOf(contentType: string | undefined): OtlpFormat | null {
  const media = mediaType(contentType).toLowerCase();
  if (media === MEDIA_TYPES.protobuf) return 'protobuf';
  if (media === MEDIA_TYPES.json) return 'json';
  return null;
}

export function unsupportedContentType(contentType: string | undefined): OtlpError {
  return new OtlpError(
    400,
    `Unsupported Content-Type '${mediaType(contentType)}', expected '${MEDIA_TYPES.protobuf}' or '${MEDIA_TYPES.json}'`,
  );
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim();
}

const gunzip = promisify(zlib.gunzip);

/**
 * The body as sent, decompressed when `Content-Encoding: gzip`. Decompression stops at `limit` bytes of output, so
 * a small gzip bomb cannot inflate into gigabytes: it gets a 413 like an oversized plain body.
 */
export async function inflate(body: Buffer, contentEncoding: string | undefined, limit: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity' || body.length === 0) return body;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new OtlpError(415, `Unsupported Content-Encoding '${contentEncoding}', expected 'gzip'`);
  }
  try {
    return await gunzip(body, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new OtlpError(413, `Request body is too large once decompressed (more than ${limit} bytes)`);
    }
    throw parseError(`invalid gzip data (${(error as Error).message})`);
  }
}

/** The request message; an empty body is an empty request (O7). */
export function decodeRequest(body: Buffer, format: OtlpFormat): OtlpTraceRequest {
  if (body.length === 0) return {};
  try {
    return withMessageBudget(MAX_MESSAGES_PER_REQUEST, () =>
      format === 'protobuf'
        ? (ExportTraceServiceRequest.decode(body) as OtlpTraceRequest)
        : decodeJsonRequest(body.toString('utf8')),
    );
  } catch (error) {
    if (error instanceof OtlpError) throw error;
    if (error instanceof MessageBudgetExceeded) {
      throw new OtlpError(
        413,
        `Request holds more than ${error.limit} spans, events, links and attribute values; export smaller batches`,
      );
    }
    throw parseError(error instanceof Error ? error.message : String(error));
  }
}

/** The success answer: empty unless some spans were skipped. */
export function encodeResponse(format: OtlpFormat, skipped: { rejected: number; message: string } | null): Buffer {
  const response = ExportTraceServiceResponse.create(
    skipped ? { partialSuccess: { rejectedSpans: skipped.rejected, errorMessage: skipped.message } } : {},
  );
  if (format === 'json') return Buffer.from(JSON.stringify(protojson.toJson(ExportTraceServiceResponse, response)));
  return toBuffer(ExportTraceServiceResponse.encode(response).finish());
}

export function encodeStatus(format: OtlpFormat, httpStatus: number, message: string): Buffer {
  const status = RpcStatus.create({ code: rpcCode(httpStatus), message });
  if (format === 'json') return Buffer.from(JSON.stringify(protojson.toJson(RpcStatus, status)));
  return toBuffer(RpcStatus.encode(status).finish());
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
