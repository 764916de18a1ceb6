/**
 * OTLP test tools: real spans from the OpenTelemetry SDK, exported to a real server by the official OTLP/HTTP
 * exporters (protobuf and JSON), and raw requests for what the exporters never send (bad bodies, odd headers).
 */
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { request } from 'undici';
import { expect } from 'vitest';
import type { Attributes as OtelAttributes, HrTime, Tracer } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import type { TestServer } from '../helpers/http.js';

export type Format = 'protobuf' | 'json';
export const FORMATS: Format[] = ['protobuf', 'json'];
export const MEDIA: Record<Format, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

/** Finished SDK spans of one resource, made by `build` with a tracer of scope `agl-test`. */
export function recordSpans(
  resource: OtelAttributes,
  build: (tracer: Tracer) => void,
  schemaUrl?: string,
): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes(resource, schemaUrl ? { schemaUrl } : undefined),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  build(provider.getTracer('agl-test', '1.0.0'));
  return memory.getFinishedSpans();
}

/** The routing attributes agent-lightning runners put on their resource. */
export const routing = (rolloutId: string, attemptId: string): OtelAttributes => ({
  'agentlightning.rollout_id': rolloutId,
  'agentlightning.attempt_id': attemptId,
});

/**
 * The same span with attributes the SDK would have dropped (bytes, maps, mixed lists): the official serialisers
 * encode whatever a `ReadableSpan` holds, which is how such values reach a store from other SDKs.
 */
export function withRawAttributes(span: ReadableSpan, attributes: Record<string, unknown>): ReadableSpan {
  return Object.assign(Object.create(span) as ReadableSpan, { attributes });
}

export interface ExportOptions {
  compression?: 'gzip' | 'none';
  headers?: Record<string, string>;
}

/** Sends spans with the official exporter for `format` and resolves with its result. */
export async function exportSpans(
  server: TestServer,
  format: Format,
  spans: ReadableSpan[],
  options: ExportOptions = {},
): Promise<ExportResult> {
  const config = {
    url: `${server.url}/v1/traces`,
    compression: options.compression,
    headers: options.headers,
    timeoutMillis: 10_000,
  } as ConstructorParameters<typeof ProtoExporter>[0];
  const exporter = format === 'protobuf' ? new ProtoExporter(config) : new JsonExporter(config);
  try {
    return await new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
  } finally {
    await exporter.shutdown();
  }
}

export async function exportOk(server: TestServer, format: Format, spans: ReadableSpan[], options?: ExportOptions) {
  const result = await exportSpans(server, format, spans, options);
  expect(result.error).toBeUndefined();
  expect(result.code).toBe(ExportResultCode.SUCCESS);
}

/** What the official serialiser sends for these spans, as bytes. */
export function serialize(format: Format, spans: ReadableSpan[]): Buffer {
  const serializer = format === 'protobuf' ? ProtobufTraceSerializer : JsonTraceSerializer;
  return Buffer.from(serializer.serializeRequest(spans)!);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received (undici's `request` neither asks for nor undoes compression). */
  raw: Buffer;
  /** The body, gunzipped when the server gzipped it. */
  body: Buffer;
}

/** A raw `POST` to an OTLP path: headers and body exactly as given, nothing added. */
export async function post(
  server: TestServer,
  body: Buffer | string | undefined,
  headers: Record<string, string>,
  path = '/v1/traces',
): Promise<RawResponse> {
  const res = await request(`${server.url}${path}`, { method: 'POST', headers, body });
  const raw = Buffer.from(await res.body.arrayBuffer());
  const decoded = res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
  return { status: res.statusCode, headers: res.headers, raw, body: decoded };
}

/** The decoded `google.rpc.Status` of an error answer. */
export function statusOf(format: Format, body: Buffer): { code: number; message: string } {
  if (format === 'json') return JSON.parse(body.toString('utf8'));
  return RpcStatus.toObject(RpcStatus.decode(body), { defaults: true }) as { code: number; message: string };
}

/** `google.rpc.Status` declared here, not loaded from the server's files, so the test checks what is on the wire. */
const RpcStatus = protobuf
  .parse('syntax = "proto3"; message Status { int32 code = 1; string message = 2; }')
  .root.lookupType('Status');

/** The partial success of a 200 answer, read by the official exporters' own response decoders. */
export function partialSuccessOf(format: Format, body: Buffer) {
  const serializer = format === 'protobuf' ? ProtobufTraceSerializer : JsonTraceSerializer;
  return serializer.deserializeResponse(body).partialSuccess;
}

/** Float seconds of an SDK time, the way the store should compute them. */
export const seconds = ([s, ns]: HrTime) => s + ns / 1e9;

/** A rollout started now through the JSON API, with its first attempt. */
export async function startedRollout(server: TestServer): Promise<{ rid: string; aid: string }> {
  const res = await server.api('POST', '/rollouts', { input: { task: 'otlp' } });
  expect(res.status).toBe(201);
  return { rid: res.body.rollout_id, aid: res.body.attempt.attempt_id };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- stored spans are checked field by field as JSON
export async function storedSpans(server: TestServer, rolloutId: string): Promise<Array<Record<string, any>>> {
  const res = await server.api('GET', `/spans?rollout_id=${encodeURIComponent(rolloutId)}`);
  expect(res.status).toBe(200);
  return res.body;
}
