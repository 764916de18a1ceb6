/**
 * OTLP ingestion O1, O4, O7, O9 (store-behaviours.md, section O) on both engines: real SDK spans sent by the official
 * OTLP/HTTP exporters (protobuf and JSON), read back through `GET /agl/v1/spans` and checked field by field against
 * §8.7's conversion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { Value } from '@sinclair/typebox/value';
import { SpanSchema } from '@agl/schemas';
import { engines, startServer, type TestServer } from '../helpers/http.js';
import {
  FORMATS,
  MEDIA,
  exportOk,
  post,
  recordSpans,
  routing,
  seconds,
  serialize,
  startedRollout,
  storedSpans,
  type Format,
} from './helpers.js';

const STATUS = ['UNSET', 'OK', 'ERROR'];
const SCHEMA_URL = 'https://opentelemetry.io/schemas/1.21.0';

/** Every attribute type OpenTelemetry has, as an SDK sets them. */
const ALL_TYPES: Attributes = {
  'gen_ai.request.model': 'qwen-7b',
  'llm.usage.total_tokens': 42,
  'gen_ai.request.temperature': 0.7,
  'agentlightning.virtual': false,
  tags: ['a', 'b'],
  prompt_token_ids: [128000, 9707, 0],
  scores: [0.5, 1.25],
  flags: [true, false],
};

/** A two-span trace: a server root and an erroring child with an event and a link to another trace. */
function agentTrace(rid: string, aid: string): ReadableSpan[] {
  const resource = { ...routing(rid, aid), 'service.name': 'runner-1', 'host.cores': 2 };
  return recordSpans(
    resource,
    (tracer) => {
      const root = tracer.startSpan('agent.run', { kind: SpanKind.SERVER, startTime: [1_700_000_000, 123_456_789] });
      const linked = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
      const child = tracer.startSpan(
        'openai.chat',
        {
          kind: SpanKind.CLIENT,
          attributes: ALL_TYPES,
          links: [{ context: linked, attributes: { 'link.weight': 2 } }],
          startTime: [1_700_000_000, 500_000_001],
        },
        trace.setSpan(context.active(), root),
      );
      child.addEvent('first_token', { 'token.index': 3, text: 'hi' }, [1_700_000_000, 750_000_000]);
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
      child.end([1_700_000_001, 999_999_999]);
      root.setStatus({ code: SpanStatusCode.OK });
      root.end([1_700_000_002, 0]);
    },
    SCHEMA_URL,
  );
}

/** §8.7's conversion of one SDK span, written out independently of the server's code. */
function expected(span: ReadableSpan, rid: string, aid: string, sequenceId: number) {
  const { traceId, spanId } = span.spanContext();
  const ctx = (trace_id: string, span_id: string) => ({ trace_id, span_id, is_remote: false, trace_state: {} });
  return {
    rollout_id: rid,
    attempt_id: aid,
    sequence_id: sequenceId,
    trace_id: traceId,
    span_id: spanId,
    parent_id: span.parentSpanContext?.spanId ?? null,
    name: span.name,
    status: { status_code: STATUS[span.status.code], description: span.status.message ?? null },
    attributes: span.attributes,
    events: span.events.map((e) => ({ name: e.name, attributes: e.attributes ?? {}, timestamp: seconds(e.time) })),
    links: span.links.map((l) => ({
      context: ctx(l.context.traceId, l.context.spanId),
      attributes: l.attributes ?? {},
    })),
    start_time: seconds(span.startTime),
    end_time: seconds(span.endTime),
    context: ctx(traceId, spanId),
    parent: null,
    resource: { attributes: span.resource.attributes, schema_url: SCHEMA_URL },
  };
}

describe.each(engines)('OTLP ingestion (%s)', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(engine);
  });
  afterAll(async () => {
    await server.close();
  });

  it('O1 a protobuf request answers 200 application/x-protobuf with an empty body; the spans are stored', async () => {
    const { rid, aid } = await startedRollout(server);
    const spans = agentTrace(rid, aid);
    const res = await post(server, serialize('protobuf', spans), { 'content-type': MEDIA.protobuf });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(MEDIA.protobuf);
    expect(res.body.length).toBe(0);
    // SimpleSpanProcessor records in end order: the child first, then the root; sequence ids follow request order.
    const stored = await storedSpans(server, rid);
    expect(stored).toEqual(spans.map((span, i) => expected(span, rid, aid, i + 1)));
    for (const span of stored) {
      expect(Value.Check(SpanSchema, span)).toBe(true);
      expect(Object.keys(span)).toEqual(Object.keys(SpanSchema.properties)); // every key, in the model's order
    }
  });

  it.each(FORMATS)('O1/O4 the official %s exporter delivers every field as §8.7 converts it', async (format) => {
    const { rid, aid } = await startedRollout(server);
    const spans = agentTrace(rid, aid);
    await exportOk(server, format, spans);
    const stored = await storedSpans(server, rid);
    expect(stored).toEqual(spans.map((span, i) => expected(span, rid, aid, i + 1)));
    // The points §8.7 spells out, on the erroring child: hex ids, its parent, status, seconds.
    const child = stored[0]!;
    expect(child.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(child.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(child.parent_id).toBe(stored[1]!.span_id);
    expect(child.status).toEqual({ status_code: 'ERROR', description: 'rate limited' });
    // start [1_700_000_000 s, 500_000_001 ns]: the nearest double to the exact sum, not ns / 1e9 rounded twice.
    expect(child.start_time).toBe(1_700_000_000 + 0.500_000_001);
    expect(stored[1]!.status).toEqual({ status_code: 'OK', description: null });
  });

  it('O4 a JSON request answers 200 with {} as application/json', async () => {
    const { rid, aid } = await startedRollout(server);
    const spans = agentTrace(rid, aid);
    const res = await post(server, serialize('json', spans), { 'content-type': MEDIA.json });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(MEDIA.json);
    expect(JSON.parse(res.body.toString())).toEqual({});
    expect(await storedSpans(server, rid)).toEqual(spans.map((span, i) => expected(span, rid, aid, i + 1)));
  });

  it.each(FORMATS)('content-type parameters are ignored (%s)', async (format) => {
    const { rid, aid } = await startedRollout(server);
    const spans = agentTrace(rid, aid);
    const res = await post(server, serialize(format, spans), { 'content-type': `${MEDIA[format]}; charset=utf-8` });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(MEDIA[format]);
    expect(await storedSpans(server, rid)).toHaveLength(2);
  });

  it.each(FORMATS)('O7 an empty %s body is an empty request: 200', async (format: Format) => {
    const res = await post(server, Buffer.alloc(0), { 'content-type': MEDIA[format] });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(MEDIA[format]);
    expect(res.body.toString()).toBe(format === 'json' ? '{}' : '');
    const empty = await post(server, format === 'json' ? '{}' : undefined, { 'content-type': MEDIA[format] });
    expect(empty.status).toBe(200);
  });

  it.each(['/v1/metrics', '/v1/logs', '/v1/development/profiles'])('O9 POST %s answers 501, empty', async (path) => {
    const variants: Array<Record<string, string>> = [
      { 'content-type': MEDIA.protobuf },
      { 'content-type': MEDIA.json },
      {},
    ];
    for (const headers of variants) {
      const res = await post(server, headers['content-type'] ? 'x' : undefined, headers, path);
      expect(res.status).toBe(501);
      expect(res.body.length).toBe(0);
    }
  });

  it('other methods on the OTLP paths answer 405 with Allow: POST', async () => {
    const res = await fetch(`${server.url}/v1/traces`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});
