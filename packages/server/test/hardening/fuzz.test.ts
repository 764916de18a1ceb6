/**
 * Hostile input on every endpoint of both generations, on both engines: hand-picked bad bodies (deep, huge,
 * non-finite, NUL, wrong types, wrong content types), traversal-looking and oversized ids, hostile query strings, and
 * seeded random mutations of valid bodies. Whatever
 * comes in: no 5xx, the server stays up, and a rejected request (4xx) changes nothing — checked through the ETags of
 * every list that could show a change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spanBody } from '../conformance/fixtures.js';
import { call, engines, startServer, type TestServer } from '../helpers/http.js';

/** A small deterministic PRNG (mulberry32): the same seed gives the same mutations, so a failure replays. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const nested = (levels: number) => `${'['.repeat(levels)}0${']'.repeat(levels)}`;

/** Raw bodies that no endpoint that reads a body accepts. */
const BAD_TEXTS = [
  '{',
  '{"a":1,}',
  "{'a':1}",
  '\u0000',
  '[]',
  '"text"',
  '42',
  'null',
  nested(5000),
  `{"input":${nested(300)}}`,
  '{"input":1e400}',
  '{"input":-1e999,"mode":"train"}',
  '{"input":"\\ud800"x}',
];

const ODD_IDS = [
  '..%2F..%2Fetc%2Fpasswd',
  '..',
  '%00',
  'a%00b',
  '%E2%80%AE',
  'x'.repeat(3000),
  '%FF',
  "'; DROP TABLE rollouts; --",
  'latest',
];

/** A random JSON-ish value of a type the schemas rarely want. */
function randomValue(next: () => number): unknown {
  const choices: Array<() => unknown> = [
    () => null,
    () => true,
    () => Math.floor(next() * 1e6) - 5e5,
    () => next() * 1e300,
    () => '',
    () => '\u0000\u0001',
    () => 'x'.repeat(Math.floor(next() * 5000)),
    () => [],
    () => [null, 1, 'a'],
    () => ({}),
    () => ({ nested: { deeper: [1, { x: 'y' }] } }),
    () => -0,
  ];
  return choices[Math.floor(next() * choices.length)]!();
}

/** Drops, replaces or adds one key (recursively one level down sometimes). */
function mutate(body: Record<string, unknown>, next: () => number): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(body);
  const keys = Object.keys(copy);
  const key = keys[Math.floor(next() * keys.length)] ?? 'extra';
  const roll = next();
  if (roll < 0.3) delete copy[key];
  else if (roll < 0.8) copy[key] = randomValue(next);
  else if (roll < 0.9 && typeof copy[key] === 'object' && copy[key] !== null && !Array.isArray(copy[key])) {
    copy[key] = mutate(copy[key] as Record<string, unknown>, next);
  } else copy[`k${Math.floor(next() * 100)}`] = randomValue(next);
  return copy;
}

describe.each(engines)('fuzz (%s)', (engine) => {
  let server: TestServer;
  let rid: string;
  let aid: string;

  beforeAll(async () => {
    server = await startServer(engine, { bodyLimitBytes: 256 * 1024 });
    const started = await server.api('POST', '/rollouts', { input: 'victim' });
    rid = started.body.rollout_id;
    aid = started.body.attempt.attempt_id;
    await server.api('POST', '/resources/base', { llm: { resource_type: 'llm', endpoint: 'e', model: 'm' } });
    await server.api('POST', '/spans', spanBody(rid, aid, 1));
  });
  afterAll(async () => server.close());

  /** Every list that shows a change, as ETags (cheap: unchanged lists are cached); both generations share them. */
  async function fingerprint(): Promise<string> {
    const paths = [
      '/agl/v1/rollouts',
      `/agl/v1/rollouts/${rid}/attempts`,
      '/agl/v1/resources',
      `/agl/v1/spans?rollout_id=${rid}`,
      '/v1/agl/workers',
    ];
    const tags = await Promise.all(
      paths.map(async (p) => (await call(`${server.url}${p}`, 'GET')).headers.get('etag')),
    );
    return tags.join(' ');
  }

  /** Sends one request; asserts no 5xx, and that a 4xx left every list as it was. */
  async function probe(method: string, path: string, body?: string, headers?: Record<string, string>) {
    const before = await fingerprint();
    const res = await call(`${server.url}${path}`, method, body, headers);
    const label = `${method} ${path.slice(0, 80)} ${String(body).slice(0, 60)}`;
    expect(res.status, label).toBeLessThan(500);
    if (res.status >= 400) {
      expect(res.body, label).toHaveProperty('detail');
      expect(await fingerprint(), label).toBe(before);
    }
    return res;
  }

  const bodyEndpoints = () => [
    '/agl/v1/queues/rollouts/enqueue',
    '/agl/v1/rollouts',
    '/agl/v1/rollouts/search',
    `/agl/v1/rollouts/${rid}`,
    `/agl/v1/rollouts/${rid}/attempts/${aid}`,
    `/agl/v1/rollouts/${rid}/attempts/latest`,
    '/agl/v1/resources',
    '/agl/v1/resources/base',
    '/agl/v1/spans',
    '/agl/v1/spans/next',
    '/agl/v1/waits/rollouts',
    '/v1/agl/queues/rollouts/enqueue',
    '/v1/agl/rollouts',
    '/v1/agl/rollouts/search',
    `/v1/agl/rollouts/${rid}`,
    `/v1/agl/rollouts/${rid}/attempts/search`,
    `/v1/agl/rollouts/${rid}/attempts/${aid}`,
    '/v1/agl/resources',
    '/v1/agl/resources/base',
    '/v1/agl/spans',
    '/v1/agl/spans/search',
    '/v1/agl/spans/next',
    '/v1/agl/workers/search',
    '/v1/agl/waits/rollouts',
  ];
  /** `/v1/agl` endpoints whose body is optional: a JSON `null` reads as no body, anything else bad is a 422. */
  const optionalBodyEndpoints = () => [
    '/v1/agl/queues/rollouts/dequeue',
    `/v1/agl/rollouts/${rid}/attempts`,
    '/v1/agl/workers/fuzz-worker',
  ];

  it('rejects bad bodies on every endpoint that reads one, storing nothing', async () => {
    for (const path of bodyEndpoints()) {
      for (const text of BAD_TEXTS) {
        const res = await probe('POST', path, text);
        expect(res.status, `${path} ${text.slice(0, 40)}`).toBe(422);
      }
      const huge = JSON.stringify({ input: 'x'.repeat(300 * 1024) });
      expect((await probe('POST', path, huge)).status).toBe(413);
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        expect((await probe('POST', path, '{"input":1}', { 'content-type': type })).status).toBe(415);
      }
    }
    for (const path of optionalBodyEndpoints()) {
      for (const text of BAD_TEXTS.filter((t) => t !== 'null')) {
        expect((await probe('POST', path, text)).status, `${path} ${text.slice(0, 40)}`).toBe(422);
      }
      expect((await probe('POST', path, JSON.stringify({ limit: 'x'.repeat(300 * 1024) }))).status).toBe(413);
      expect((await probe('POST', path, '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    }
  });

  it('answers odd and oversized ids without a 5xx, and rejected writes change nothing', async () => {
    for (const id of ODD_IDS) {
      for (const path of [
        `/agl/v1/rollouts/${id}`,
        `/agl/v1/rollouts/${id}/attempts`,
        `/agl/v1/rollouts/${id}/attempts/latest`,
        `/agl/v1/resources/${id}`,
        `/agl/v1/spans?rollout_id=${id}&attempt_id=${id}`,
      ]) {
        await probe('GET', path);
      }
      await probe('POST', `/agl/v1/rollouts/${id}`, '{"status":"cancelled"}');
      await probe('POST', `/agl/v1/rollouts/${id}/attempts`);
      await probe('POST', `/agl/v1/rollouts/${rid}/attempts/${id}`, '{"status":"failed"}');
      for (const path of [
        `/v1/agl/rollouts/${id}`,
        `/v1/agl/rollouts/${id}/attempts`,
        `/v1/agl/rollouts/${id}/attempts/latest`,
        `/v1/agl/resources/${id}`,
        `/v1/agl/workers/${id}`,
        `/v1/agl/spans?rollout_id=${id}&attempt_id=${id}&trace_id=${id}&name_contains=${id}`,
      ]) {
        await probe('GET', path);
      }
      await probe('POST', `/v1/agl/rollouts/${id}`, '{"status":"cancelled"}');
      await probe('POST', `/v1/agl/rollouts/${id}/attempts`, '{"worker_id":"w"}');
      await probe('POST', `/v1/agl/rollouts/${rid}/attempts/${id}`, '{"status":"failed"}');
      await probe('POST', `/v1/agl/workers/${id}`, '{"heartbeat_stats":null}');
    }
  });

  it('answers hostile query strings on every /v1/agl page without a 5xx', async () => {
    const values = [
      '',
      '-0',
      '+3',
      ' 7 ',
      '1e20',
      '99999999999999999999999',
      '9007199254740993',
      '-9007199254740993',
      'NaN',
      'Infinity',
      '0x10',
      '%00',
      'a%00b',
      '%FF',
      'x'.repeat(2000),
      'latest',
      "'; DROP TABLE spans; --",
    ];
    const keys = ['limit', 'offset', 'sort_by', 'sort_order', 'filter_logic', 'status_in', 'mode_in', 'attempt_id'];
    const pages = [
      '/v1/agl/rollouts?',
      `/v1/agl/rollouts/${rid}/attempts?`,
      `/v1/agl/spans?rollout_id=${rid}&`,
      '/v1/agl/resources?',
      '/v1/agl/workers?',
    ];
    for (const path of pages) {
      for (const key of keys) {
        for (const value of values) await probe('GET', `${path}${key}=${value}`);
        await probe('GET', `${path}${key}=1&${key}=2&${key}=`);
      }
      // Sorting by every allowed key, with huge limits and offsets, must hold on every engine.
      for (const sortBy of ['start_time', 'duration', 'status_code', 'worker_id', 'metadata', 'heartbeat_stats']) {
        await probe('GET', `${path}sort_by=${sortBy}&sort_order=desc&limit=9007199254740991&offset=9007199254740991`);
      }
    }
  });

  it('survives 2,500 seeded random mutations of valid bodies', async () => {
    const next = rng(20261128);
    const valid: Array<[string, Record<string, unknown>]> = [
      [
        '/agl/v1/queues/rollouts/enqueue',
        { input: { q: 1 }, mode: 'train', config: { max_attempts: 2 }, metadata: {} },
      ],
      ['/agl/v1/rollouts/search', { status: ['queuing'], rollout_ids: [rid] }],
      [`/agl/v1/rollouts/${rid}`, { metadata: { a: 1 }, mode: 'val' }],
      [`/agl/v1/rollouts/${rid}/attempts/${aid}`, { worker_id: 'w', metadata: {} }],
      ['/agl/v1/resources/base', { llm: { resource_type: 'llm', endpoint: 'e', model: 'm' } }],
      ['/agl/v1/spans', spanBody(rid, aid, 2)],
      ['/agl/v1/spans/next', { rollout_id: rid, attempt_id: aid }],
      ['/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1, mode: 'val', resources_id: '' }] }],
      ['/v1/agl/queues/rollouts/dequeue', { limit: 1, worker_id: 'fuzz' }],
      ['/v1/agl/rollouts/search', { status_in: ['queuing'], mode_in: ['val'], limit: 2, sort_by: 'duration' }],
      ['/v1/agl/spans/search', { rollout_id: rid, attempt_id: 'latest', name_contains: 's', filter_logic: 'or' }],
      ['/v1/agl/workers/search', { status_in: ['busy'], worker_id_contains: 'f', offset: 1 }],
      ['/v1/agl/workers/fuzz', { heartbeat_stats: { cpu: 0.5 } }],
      ['/v1/agl/spans', spanBody(rid, aid, 4)],
      // Waits are left out: a mutated timeout (null, 1e300) would legitimately wait for ever.
    ];
    for (let i = 0; i < 2500; i++) {
      const [path, body] = valid[i % valid.length]!;
      await probe('POST', path, JSON.stringify(mutate(body, next)));
    }
    expect((await server.api('GET', '/health')).body.status).toBe('ok');
  }, 180_000);

  it('keeps "__proto__" keys as data and never lets them change an object’s prototype', async () => {
    const resources = await probe(
      'POST',
      '/agl/v1/resources/proto',
      '{"__proto__":{"resource_type":"prompt_template","template":"t","engine":"jinja"}}',
    );
    expect(resources.status).toBe(200);
    expect(Object.keys(resources.body.resources)).toEqual(['__proto__']);
    const span = JSON.stringify(spanBody(rid, aid, 3)).replace('"attributes":{', '"attributes":{"__proto__":"x",');
    const stored = await probe('POST', '/agl/v1/spans', span);
    expect(stored.status).toBe(201);
    expect(Object.hasOwn(stored.body.attributes, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
