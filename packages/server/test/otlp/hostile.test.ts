/**
 * Hostile input on `POST /v1/traces`, on both engines, in the style of test/hardening/fuzz.test.ts: truncated and
 * randomly mutated protobuf, wrong-typed OTLP/JSON, nesting past the decoder's limit, gzip bombs, oversized bodies
 * and message floods. Whatever comes in: a 200 or the documented 4xx with a `google.rpc.Status` body, never a 5xx;
 * a refused request stores nothing; the server stays up.
 */
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startServer, type TestServer } from '../helpers/http.js';
import {
  MEDIA,
  post,
  recordSpans,
  routing,
  serialize,
  startedRollout,
  statusOf,
  withRawAttributes,
  type Format,
} from './helpers.js';

/** A small deterministic PRNG (mulberry32): the same seed gives the same mutations, so a failure replays. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const nestedList = (levels: number): unknown => (levels === 0 ? 'leaf' : [nestedList(levels - 1)]);

/** OTLP/JSON bodies that are JSON but not an ExportTraceServiceRequest, or not OTLP's JSON. */
const span = (fields: string) => `{"resourceSpans":[{"scopeSpans":[{"spans":[{${fields}}]}]}]}`;
const BAD_JSON = [
  '[]',
  'null',
  '"text"',
  '42',
  '{"resourceSpans":{}}',
  '{"resourceSpans":[5]}',
  span('"name":5'),
  span('"traceId":"xyz"'),
  span('"spanId":"abc"'),
  span('"startTimeUnixNano":"soon"'),
  span('"startTimeUnixNano":1.5'),
  span('"kind":"SIDEWAYS","flags":-1'),
  span('"attributes":[{"key":"k","value":{"stringValue":"a","intValue":1}}]'),
  span('"attributes":[{"key":"k","value":{"bytesValue":"@@@"}}]'),
  span('"attributes":[{"key":"k","value":{"intValue":"9223372036854775808"}}]'),
  span('"name":"\\ud800"'),
  `{"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":${JSON.stringify(deepJson(150))}}]}}]}`,
];

function deepJson(levels: number): unknown {
  return levels === 0 ? { stringValue: 'x' } : { arrayValue: { values: [deepJson(levels - 1)] } };
}

describe.each(engines)('OTLP hostile input (%s)', (engine) => {
  let server: TestServer;
  let small: TestServer;
  beforeAll(async () => {
    server = await startServer(engine);
    small = await startServer(engine, { bodyLimitBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    await server.close();
    await small.close();
  });

  /** A valid two-span request for a fresh rollout, and a check that the rollout's spans did not change. */
  async function target(format: Format = 'protobuf') {
    const { rid, aid } = await startedRollout(server);
    const spans = recordSpans(routing(rid, aid), (t) => {
      t.startSpan('one', { attributes: { k: 'v', n: [1, 2] } }).end();
      t.startSpan('two').addEvent('e', { x: 1 }).end();
    });
    const version = () => server.app.store.versions.spans(rid);
    return { body: serialize(format, spans), version, initial: await version() };
  }

  /** Sends `body`: expects 200, or `refused` with a Status in `format` and no change to the rollout's spans. */
  async function expectAnsweredOrRefused(body: Buffer, format: Format, version: () => Promise<string>, refused = 400) {
    const before = await version();
    const res = await post(server, body, { 'content-type': MEDIA[format] });
    expect([200, refused]).toContain(res.status);
    if (res.status === refused) {
      expect(statusOf(format, res.body).message).toMatch(/^Unable to parse OTLP traces payload: /);
      expect(await version()).toBe(before);
    }
    return res.status;
  }

  it('every truncation of a valid protobuf request answers 200 or 400, and a 400 stores nothing', async () => {
    const { body, version, initial } = await target();
    const statuses = new Set<number>();
    for (let length = 1; length < body.length; length++) {
      statuses.add(await expectAnsweredOrRefused(body.subarray(0, length), 'protobuf', version));
    }
    expect(statuses).toContain(400);
    // The request is one length-delimited ResourceSpans, so every cut leaves it incomplete: nothing was stored.
    expect(await version()).toBe(initial);
  });

  it('seeded random mutations of a valid request never answer 5xx', async () => {
    const { body, version } = await target();
    const next = rng(20261128);
    for (let round = 0; round < 300; round++) {
      const mutated = Buffer.from(body);
      for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
        mutated[Math.floor(next() * mutated.length)] = Math.floor(next() * 256);
      }
      await expectAnsweredOrRefused(mutated, 'protobuf', version);
    }
    for (let round = 0; round < 50; round++) {
      const noise = Buffer.from(Array.from({ length: 1 + Math.floor(next() * 200) }, () => Math.floor(next() * 256)));
      await expectAnsweredOrRefused(noise, 'protobuf', version);
    }
  });

  it.each(BAD_JSON.map((text, i) => [i, text]))('wrong-typed OTLP/JSON #%i answers 400 in JSON', async (_i, text) => {
    const { version } = await target('json');
    const before = await version();
    const res = await post(server, text as string, { 'content-type': MEDIA.json });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(MEDIA.json);
    expect(statusOf('json', res.body)).toMatchObject({ code: 3, message: expect.stringMatching(/^Unable to parse/) });
    expect(await version()).toBe(before);
  });

  it('values nested past the decoder limit answer 400; nesting below it is stored', async () => {
    const { rid, aid } = await startedRollout(server);
    const [plain] = recordSpans(routing(rid, aid), (t) => t.startSpan('deep').end());
    const tooDeep = serialize('protobuf', [withRawAttributes(plain!, { deep: nestedList(150) })]);
    const res = await post(server, tooDeep, { 'content-type': MEDIA.protobuf });
    expect(res.status).toBe(400);
    expect(statusOf('protobuf', res.body).message).toMatch(/^Unable to parse OTLP traces payload: .*depth/);
    const fine = serialize('protobuf', [withRawAttributes(plain!, { deep: nestedList(40) })]);
    expect((await post(server, fine, { 'content-type': MEDIA.protobuf })).status).toBe(200);
    const stored = await server.api('GET', `/spans?rollout_id=${rid}`);
    expect(JSON.parse(stored.body[0].attributes.deep)).toEqual(nestedList(40));
  });

  it('a gzip bomb is refused with 413 once decompression passes the body limit', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await post(small, bomb, { 'content-type': MEDIA.protobuf, 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(statusOf('protobuf', res.body).message).toMatch(/too large once decompressed/);
  });

  it('bad gzip is a 400, an unknown encoding a 415, an oversized body a 413: each as a Status', async () => {
    const badGzip = await post(small, Buffer.from('plain text'), {
      'content-type': MEDIA.json,
      'content-encoding': 'gzip',
    });
    expect(badGzip.status).toBe(400);
    expect(statusOf('json', badGzip.body).message).toMatch(/^Unable to parse OTLP traces payload: invalid gzip/);
    const brotli = await post(small, Buffer.from([1]), { 'content-type': MEDIA.json, 'content-encoding': 'br' });
    expect(brotli.status).toBe(415);
    expect(statusOf('json', brotli.body).message).toBe("Unsupported Content-Encoding 'br', expected 'gzip'");
    const huge = await post(small, Buffer.alloc(2 * 1024 * 1024), { 'content-type': MEDIA.protobuf });
    expect(huge.status).toBe(413);
    expect(statusOf('protobuf', huge.body).message).toBe('Request body is too large');
  });

  it('a flood of millions of tiny messages is refused with 413 before it can exhaust memory', async () => {
    // One scope holding 4,000,001 empty spans: two bytes each on the wire (field 2, length 0).
    const spans = Buffer.alloc(4_000_001 * 2);
    for (let i = 0; i < spans.length; i += 2) spans[i] = 0x12;
    const scope = protobuf.Writer.create().uint32(0x12).bytes(spans).finish();
    const body = Buffer.from(protobuf.Writer.create().uint32(0x0a).bytes(scope).finish());
    const res = await post(server, body, { 'content-type': MEDIA.protobuf });
    expect(res.status).toBe(413);
    expect(statusOf('protobuf', res.body).message).toMatch(/more than 4000000 .*export smaller batches/);
  });

  it('the server is still healthy afterwards', async () => {
    expect((await server.api('GET', '/health')).status).toBe(200);
    expect((await small.api('GET', '/health')).status).toBe(200);
  });
});
