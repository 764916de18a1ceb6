/**
 * OTLP ingestion O3, O5, O6 and the API key on both engines: gzip both ways, the `google.rpc.Status` error envelope
 * in the request's format, partial success for spans that cannot be placed, and `--api-key` on the OTLP routes.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportResultCode } from '@opentelemetry/core';
import { StorageError } from '../../src/storage/errors.js';
import { engines, startServer, type TestServer } from '../helpers/http.js';
import {
  FORMATS,
  MEDIA,
  exportOk,
  exportSpans,
  partialSuccessOf,
  post,
  recordSpans,
  routing,
  serialize,
  startedRollout,
  statusOf,
  storedSpans,
} from './helpers.js';

describe.each(engines)('OTLP answers (%s)', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(engine);
  });
  afterAll(async () => {
    await server.close();
  });
  const twoSpans = (rid: string, aid: string) =>
    recordSpans(routing(rid, aid), (tracer) => ['a', 'b'].forEach((name) => tracer.startSpan(name).end()));

  it.each(FORMATS)('O3 the official %s exporter with gzip compression is accepted', async (format) => {
    const { rid, aid } = await startedRollout(server);
    await exportOk(server, format, twoSpans(rid, aid), { compression: 'gzip' });
    expect((await storedSpans(server, rid)).map((s) => s.name)).toEqual(['a', 'b']);
  });

  it.each(FORMATS)('O3 the answer is gzipped exactly when the client accepts gzip (%s)', async (format) => {
    const { rid, aid } = await startedRollout(server);
    const body = gzipSync(serialize(format, twoSpans(rid, aid)));
    const headers = { 'content-type': MEDIA[format], 'content-encoding': 'gzip' };
    const gzipped = await post(server, body, { ...headers, 'accept-encoding': 'br;q=1, gzip;q=0.5' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gzipped.body.toString()).toBe(format === 'json' ? '{}' : '');
    for (const acceptEncoding of [undefined, 'identity', 'gzip;q=0', 'br']) {
      const plain = await post(
        server,
        body,
        acceptEncoding ? { ...headers, 'accept-encoding': acceptEncoding } : headers,
      );
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.raw.toString()).toBe(format === 'json' ? '{}' : '');
    }
    expect(await storedSpans(server, rid)).toHaveLength(2); // the repeats were duplicates
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['application/protobuf; proto=x', 'application/protobuf'],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
  ])('O5 Content-Type %s answers 400 with a protobuf google.rpc.Status', async (contentType, shown) => {
    const { rid, aid } = await startedRollout(server);
    const res = await post(server, serialize('protobuf', twoSpans(rid, aid)), { 'content-type': contentType });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(MEDIA.protobuf);
    expect(statusOf('protobuf', res.body)).toEqual({
      code: 3,
      message: `Unsupported Content-Type '${shown}', expected 'application/x-protobuf' or 'application/json'`,
    });
    expect(await storedSpans(server, rid)).toEqual([]);
  });

  it('O5 a request without Content-Type answers 400 too', async () => {
    const res = await post(server, Buffer.from([1, 2, 3]), {});
    expect(res.status).toBe(400);
    expect(statusOf('protobuf', res.body).message).toBe(
      "Unsupported Content-Type '', expected 'application/x-protobuf' or 'application/json'",
    );
  });

  it.each([
    ['protobuf', Buffer.from([0x0a, 0x05, 0x12])],
    ['protobuf', Buffer.from('not protobuf at all, just text')],
    ['json', Buffer.from('{"resourceSpans": [')],
    ['json', Buffer.from('{"resourceSpans": 5}')],
  ] as const)('O5 an unparsable %s body answers 400 in its own format', async (format, body) => {
    const res = await post(server, body, { 'content-type': MEDIA[format] });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(MEDIA[format]);
    const status = statusOf(format, res.body);
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/^Unable to parse OTLP traces payload: .+/);
  });

  it.each(FORMATS)(
    'O6 spans without routing or for unknown rollouts/attempts are skipped, the rest stored (%s)',
    async (format) => {
      const { rid, aid } = await startedRollout(server);
      const good = twoSpans(rid, aid);
      const unrouted = recordSpans({ 'service.name': 'no-routing' }, (t) => t.startSpan('lost').end());
      const noAttempt = recordSpans({ 'agentlightning.rollout_id': rid }, (t) => t.startSpan('half').end());
      const unknownRollout = recordSpans(routing('ro-missing', 'at-x'), (t) => t.startSpan('ghost').end());
      const unknownAttempt = recordSpans(routing(rid, 'at-missing'), (t) => t.startSpan('stray').end());
      const spans = [...unrouted, good[0]!, noAttempt[0]!, unknownRollout[0]!, unknownAttempt[0]!, good[1]!];
      const res = await post(server, serialize(format, spans), { 'content-type': MEDIA[format] });
      expect(res.status).toBe(200);
      const partial = partialSuccessOf(format, res.body)!;
      expect(Number(partial.rejectedSpans)).toBe(4);
      for (const reason of ['agentlightning.rollout_id', 'agentlightning.attempt_id', 'ro-missing', 'at-missing']) {
        expect(partial.errorMessage).toContain(reason);
      }
      expect((await storedSpans(server, rid)).map((s) => [s.name, s.sequence_id])).toEqual([
        ['a', 1],
        ['b', 2],
      ]);
      expect(await storedSpans(server, 'ro-missing')).toEqual([]);
    },
  );

  it.each(FORMATS)(
    'a storage failure is a 503 with Retry-After, anything else a 500: each as a Status (%s)',
    async (format) => {
      const { rid, aid } = await startedRollout(server);
      const body = serialize(format, twoSpans(rid, aid));
      const store = server.app.store;
      const addSpans = store.addSpans;
      try {
        store.addSpans = () => Promise.reject(new StorageError('AGL_DB_LOCKED', 'The database is locked', 503));
        const locked = await post(server, body, { 'content-type': MEDIA[format] });
        expect(locked.status).toBe(503);
        expect(locked.headers['retry-after']).toBe('1');
        expect(statusOf(format, locked.body)).toEqual({ code: 14, message: 'The database is locked' });
        store.addSpans = () => Promise.reject(new TypeError('a bug'));
        const bug = await post(server, body, { 'content-type': MEDIA[format] });
        expect(bug.status).toBe(500);
        expect(statusOf(format, bug.body)).toEqual({ code: 13, message: 'Internal server error' });
      } finally {
        store.addSpans = addSpans;
      }
      expect((await post(server, body, { 'content-type': MEDIA[format] })).status).toBe(200);
    },
  );

  it('O6 the official exporter treats a partial success as delivered', async () => {
    const unrouted = recordSpans({}, (t) => t.startSpan('lost').end());
    await exportOk(server, 'protobuf', unrouted);
  });
});

describe.each(engines)('OTLP with an API key (%s)', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(engine, { apiKey: 'otlp-secret' });
  });
  afterAll(async () => {
    await server.close();
  });
  const auth = { authorization: 'Bearer otlp-secret' };

  it('every OTLP route needs the key; with it the exporter delivers', async () => {
    const rollout = await server.api('POST', '/rollouts', { input: {} }, auth);
    const { rollout_id: rid, attempt } = rollout.body;
    const spans = recordSpans(routing(rid, attempt.attempt_id), (t) => t.startSpan('keyed').end());
    const refused = await exportSpans(server, 'protobuf', spans);
    expect(refused.code).toBe(ExportResultCode.FAILED);
    for (const path of ['/v1/traces', '/v1/metrics', '/v1/logs', '/v1/development/profiles']) {
      expect((await post(server, Buffer.alloc(0), { 'content-type': MEDIA.protobuf }, path)).status).toBe(401);
    }
    await exportOk(server, 'protobuf', spans, { headers: auth });
    await exportOk(server, 'json', spans, { headers: { 'x-api-key': 'otlp-secret' } });
    const stored = await server.api('GET', `/spans?rollout_id=${rid}`, undefined, auth);
    expect(stored.body.map((s: { name: string }) => s.name)).toEqual(['keyed']);
  });
});
