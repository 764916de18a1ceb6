/**
 * Hostile input on every endpoint, on both engines: hand-picked bad bodies (deep, huge, non-finite, NUL, wrong types,
 * wrong content types), traversal-looking and oversized ids, and seeded random mutations of valid bodies. Whatever
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

  /** Every list that shows a change, as ETags (cheap: unchanged lists are cached). */
  async function fingerprint(): Promise<string> {
    const paths = ['/rollouts', `/rollouts/${rid}/attempts`, '/resources', `/spans?rollout_id=${rid}`];
    const tags = await Promise.all(paths.map(async (p) => (await server.api('GET', p)).headers.get('etag')));
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
    }
  });

  it('survives 1,500 seeded random mutations of valid bodies', async () => {
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
      // Waits are left out: a mutated timeout (null, 1e300) would legitimately wait for ever.
    ];
    for (let i = 0; i < 1500; i++) {
      const [path, body] = valid[i % valid.length]!;
      await probe('POST', path, JSON.stringify(mutate(body, next)));
    }
    expect((await server.api('GET', '/health')).body.status).toBe('ok');
  }, 120_000);

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
