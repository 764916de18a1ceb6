/**
 * HTTP behaviour of `/v1/agl`: the query checks of every page (P3–P5: 400s before any store work, 422s from the
 * schema), ETag/304 on every paginated GET (§7g), unknown paths and methods, the API key, JSON-only bodies, and the
 * plugin's encapsulation (nothing of it reaches other paths under `/v1`, where OTLP lives).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QUERY_MESSAGES, ROLLOUT_SORT_KEYS } from '@agl/schemas';
import { buildApp } from '../../src/app.js';
import { call, engines } from '../helpers/http.js';
import { expectStatus, type Json } from '../conformance/fixtures.js';
import {
  addSpanB,
  dequeueMany,
  enqueueN,
  heartbeat,
  queryString,
  startRolloutB,
  useSharedV1Server,
  withV1Server,
} from './helpers.js';

/** Every paginated collection: its GET path, what a query needs, whether it has a search and a filter_logic. */
const COLLECTIONS = [
  { name: 'rollouts', path: '/rollouts', required: {}, search: true, logic: true },
  { name: 'attempts', path: '/rollouts/ro-000000000000/attempts', required: {}, search: true, logic: false },
  { name: 'spans', path: '/spans', required: { rollout_id: 'ro-000000000000' }, search: true, logic: true },
  { name: 'resources', path: '/resources', required: {}, search: false, logic: false },
  { name: 'workers', path: '/workers', required: {}, search: true, logic: true },
];

describe.each(engines)('/v1/agl query checks (%s)', (engine) => {
  const s = useSharedV1Server(engine);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** The same parameters as a GET and, where offered, as a search body; both answers. */
  async function bothAnswers(path: string, params: Json, search: boolean) {
    const answers = [await s.b('GET', `${path}${queryString(params)}`)];
    if (search) answers.push(await s.b('POST', `${path}/search`, params));
    return answers;
  }

  describe.each(COLLECTIONS)('$name', ({ path, required, search, logic }) => {
    it('P3 limit 0 or below -1 and a negative offset answer 400 with the §8.2 message', async () => {
      for (const [params, detail] of [
        [{ limit: 0 }, QUERY_MESSAGES.limit],
        [{ limit: -2 }, QUERY_MESSAGES.limit],
        [{ offset: -1 }, QUERY_MESSAGES.offset],
      ] as const) {
        for (const res of await bothAnswers(path, { ...required, ...params }, search)) {
          expect(res.status, JSON.stringify(params)).toBe(400);
          expect(res.body).toEqual({ detail });
        }
      }
    });

    it('P4 an unknown sort_by answers 400 naming the allowed fields', async () => {
      for (const res of await bothAnswers(path, { ...required, sort_by: 'nonexistent_field' }, search)) {
        expect(res.status).toBe(400);
        expect(res.body.detail).toMatch(/^Invalid sort_by: nonexistent_field, allowed fields are: \w+(, \w+)*$/);
      }
    });

    it('P5 a bad sort_order or filter_logic, or a non-integer limit or offset, answers 422', async () => {
      const cases: Array<[Json, string]> = [
        [{ sort_order: 'up' }, 'sort_order'],
        [{ limit: 'ten' }, 'limit'],
        [{ limit: '1.5' }, 'limit'],
        [{ offset: 'x' }, 'offset'],
      ];
      if (logic) cases.push([{ filter_logic: 'xor' }, 'filter_logic']);
      for (const [params, field] of cases) {
        const [get] = await bothAnswers(path, { ...required, ...params }, false);
        expect(get!.status, JSON.stringify(params)).toBe(422);
        expect(get!.body.detail[0].loc).toEqual(['query', field]);
      }
      const int = await s.b('GET', `${path}${queryString({ ...required, limit: 'ten' })}`);
      expect(int.body.detail[0]).toMatchObject({ type: 'int_parsing', input: 'ten' });
      if (search) {
        const res = await s.b('POST', `${path}/search`, { ...required, limit: 'ten' });
        expect(res.status).toBe(422);
        expect(res.body.detail[0].loc).toEqual(['body', 'limit']);
        expect((await s.b('POST', `${path}/search`)).status).toBe(422); // the body is required ({} is fine)
      }
    });

    it('the checks come before any store work', async () => {
      const store = s.server.app.store;
      const reads = ['queryRollouts', 'queryAttempts', 'querySpansPage', 'queryResources', 'queryWorkers'] as const;
      const spies = reads.map((name) => vi.spyOn(store, name));
      for (const params of [{ limit: 0 }, { sort_by: 'nope' }, { sort_order: 'up' }]) {
        await bothAnswers(path, { ...required, ...params }, search);
      }
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    });

    it('unknown query parameters are ignored; repeated scalar parameters keep the last value', async () => {
      const plain = expectStatus(await s.b('GET', `${path}${queryString(required)}`), 200);
      const extra = expectStatus(await s.b('GET', `${path}${queryString({ ...required, foo: 'bar' })}`), 200);
      expect(extra).toEqual(plain);
      const repeated = expectStatus(await s.b('GET', `${path}${queryString({ ...required, limit: [5, 2] })}`), 200);
      expect(repeated.limit).toBe(2);
    });
  });

  it('P4 the rollout message lists every sort key in declaration order, the §8.5 extras last', async () => {
    const res = await s.b('GET', '/rollouts?sort_by=nonexistent_field');
    expect(res.body.detail).toBe(QUERY_MESSAGES.sortBy('nonexistent_field', ROLLOUT_SORT_KEYS));
    expect(res.body.detail).toMatch(/metadata, attempt_id, duration, last_heartbeat_time, worker_id$/);
  });

  it('a status_in value outside the enumeration answers 422 at its index', async () => {
    const res = await s.b('GET', '/rollouts?status_in=queuing&status_in=bogus');
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual([
      expect.objectContaining({ type: 'literal_error', loc: ['query', 'status_in', 1] }),
    ]);
    expect((await s.b('GET', '/workers?status_in=sleeping')).status).toBe(422);
  });
});

describe.each(engines)('/v1/agl ETags (%s)', (engine) => {
  const s = useSharedV1Server(engine);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Asserts ETag/304 on `path`, runs `change`, and asserts a new 200 with a different ETag. */
  async function expectEtagCycle(path: string, change: () => Promise<unknown>) {
    const first = await s.b('GET', path);
    expect(first.status, path).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag, path).toMatch(/^W\/".+"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await s.b('GET', path, undefined, { 'if-none-match': etag! });
    expect(again.status, path).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    await change();
    const changed = await s.b('GET', path, undefined, { 'if-none-match': etag! });
    expect(changed.status, path).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  }

  it('H10 every paginated GET sends an ETag, answers 304 while unchanged and 200 after a change', async () => {
    const started = await startRolloutB(s.b);
    const [rid, aid] = [started.rollout_id, started.attempt.attempt_id];
    await expectEtagCycle('/rollouts?limit=5&sort_by=start_time&sort_order=desc', () => enqueueN(s.b, 1));
    await expectEtagCycle(`/rollouts/${rid}/attempts`, () => s.b('POST', `/rollouts/${rid}/attempts`));
    await expectEtagCycle(`/spans?rollout_id=${rid}`, () => addSpanB(s.b, rid, aid, 1));
    await expectEtagCycle('/resources?sort_by=update_time', () => s.b('POST', '/resources', {}));
    await expectEtagCycle('/workers?status_in=unknown', () => heartbeat(s.b, 'etag-worker'));
    // `latest` follows a new attempt even when no span arrived (the page empties: the new attempt has none yet).
    const latest = expectStatus(await s.b('GET', `/rollouts/${rid}/attempts/latest`), 200);
    await addSpanB(s.b, rid, latest.attempt_id, 2);
    await expectEtagCycle(`/spans?rollout_id=${rid}&attempt_id=latest`, () => s.b('POST', `/rollouts/${rid}/attempts`));
    await dequeueMany(s.b, { limit: 5 });
  });

  it('a 304 poll reads no storage; a different query of the same version is a different page', async () => {
    await enqueueN(s.b, 3);
    const first = await s.b('GET', '/rollouts?limit=1');
    const spy = vi.spyOn(s.server.app.store, 'queryRollouts');
    const poll = await s.b('GET', '/rollouts?limit=1', undefined, { 'if-none-match': first.headers.get('etag')! });
    expect(poll.status).toBe(304);
    expect(spy).not.toHaveBeenCalled();
    const other = await s.b('GET', '/rollouts?limit=2');
    expect(other.headers.get('etag')).not.toBe(first.headers.get('etag'));
    // The same normalised query spelled differently shares the cached page.
    const spelled = await s.b('GET', '/rollouts?limit=1&offset=0&sort_order=asc&unknown=1');
    expect(spelled.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('pages of workers move with worker changes only', async () => {
    await heartbeat(s.b, 'steady');
    const first = await s.b('GET', '/workers');
    await enqueueN(s.b, 1);
    expect((await s.b('GET', '/workers', undefined, { 'if-none-match': first.headers.get('etag')! })).status).toBe(304);
    await dequeueMany(s.b, { worker_id: 'claimer' });
    expect((await s.b('GET', '/workers', undefined, { 'if-none-match': first.headers.get('etag')! })).status).toBe(200);
  });
});

describe.each(engines)('/v1/agl HTTP conventions (%s)', (engine) => {
  const s = useSharedV1Server(engine);

  it('unknown paths answer the JSON 404; a wrong method 405 with Allow', async () => {
    for (const path of ['/v1/agl/nope', '/v1/agl/rollouts/', '/v1/agl//rollouts', '/v1/agl/workers/a/b']) {
      const res = await call(`${s.server.url}${path}`, 'GET');
      expect(res.status, path).toBe(404);
      expect(res.body).toEqual({ detail: 'Not Found' });
    }
    const wrong = await call(`${s.server.url}/v1/agl/statistics`, 'DELETE');
    expect(wrong.status).toBe(405);
    expect(wrong.body).toEqual({ detail: 'Method Not Allowed' });
    expect(wrong.headers.get('allow')).toContain('GET');
  });

  it('bodies must be JSON (415 otherwise) and malformed JSON is a 422', async () => {
    const res = await s.b('POST', '/queues/rollouts/enqueue', '{"rollouts":[]}', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.body.detail).toMatch(/^Unsupported Media Type/);
    const bad = await s.b('POST', '/queues/rollouts/enqueue', '{"rollouts":');
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].type).toBe('json_invalid');
  });

  it('unknown paths under /v1 outside the plugin get the root’s JSON 404, whatever their body', async () => {
    const res = await call(`${s.server.url}/v1/unknown-signal`, 'POST', '\u0000\u0001', {
      'content-type': 'application/x-protobuf',
    });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'Not Found' });
  });
});

describe('OpenAPI', () => {
  it('documents both generations, each under its own tags, with the /v1/agl query parameters', async () => {
    const app = await buildApp({ staticDir: null });
    try {
      const doc = JSON.parse((await app.inject({ method: 'GET', url: '/openapi.json' })).body);
      const paths = Object.keys(doc.paths);
      expect(paths).toEqual(
        expect.arrayContaining(['/agl/v1/rollouts', '/v1/agl/rollouts', '/v1/agl/workers/{worker_id}']),
      );
      expect(paths.filter((p) => p.startsWith('/v1/agl/')).length).toBeGreaterThanOrEqual(21);
      const tagsOf = (path: string, method: string) => doc.paths[path][method].tags as string[];
      expect(tagsOf('/agl/v1/rollouts', 'get')).toEqual(['/agl/v1 rollouts']);
      expect(tagsOf('/v1/agl/rollouts', 'get')).toEqual(['/v1/agl rollouts']);
      expect(doc.tags.map((t: Json) => t.name)).toEqual(
        expect.arrayContaining(['/agl/v1 spans', '/v1/agl spans', '/v1/agl workers']),
      );
      const params = doc.paths['/v1/agl/rollouts'].get.parameters.map((p: Json) => `${p.in}:${p.name}`);
      expect(params).toEqual(
        expect.arrayContaining(['query:limit', 'query:sort_by', 'query:status_in', 'query:mode_in']),
      );
      expect(doc.paths['/v1/agl/rollouts/search'].post.requestBody).toBeDefined();
    } finally {
      await app.close();
    }
  });
});

describe('encapsulation: the sibling OTLP plugin under /v1 keeps its own rules', () => {
  it('protobuf bodies and google.rpc.Status errors at /v1/traces; JSON-only and {detail} at /v1/agl', async () => {
    const app = await buildApp({ staticDir: null, apiKey: 'sekret' });
    try {
      const protobuf = { authorization: 'Bearer sekret', 'content-type': 'application/x-protobuf' };
      // An empty export request is valid OTLP (O7): /v1/agl's JSON-only rule does not reach /v1/traces.
      const ok = await app.inject({ method: 'POST', url: '/v1/traces', headers: protobuf, payload: Buffer.alloc(0) });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['content-type']).toMatch(/^application\/x-protobuf/);
      // A body that is not protobuf gets OTLP's own error envelope, in protobuf, not {"detail": …}.
      const garbage = await app.inject({
        method: 'POST',
        url: '/v1/traces',
        headers: protobuf,
        payload: Buffer.from([0xff, 0xff, 0xff]),
      });
      expect(garbage.statusCode).toBe(400);
      expect(garbage.headers['content-type']).toMatch(/^application\/x-protobuf/);
      expect(() => JSON.parse(garbage.body)).toThrow();
      // Meanwhile /v1/agl keeps its own rules.
      expect((await app.inject({ method: 'GET', url: '/v1/agl/rollouts' })).statusCode).toBe(401);
      const refused = await app.inject({ method: 'POST', url: '/v1/agl/workers/w', headers: protobuf, payload: 'x' });
      expect(refused.statusCode).toBe(415);
      expect(JSON.parse(refused.body)).toHaveProperty('detail');
    } finally {
      await app.close();
    }
  });
});

describe.each(engines)('/v1/agl with an API key (%s)', (engine) => {
  it('every route needs the key except health, as on /agl/v1', async () => {
    await withV1Server(
      engine,
      async (b, _a, server) => {
        expect((await b('GET', '/health')).status).toBe(200);
        for (const [method, path] of [
          ['GET', '/rollouts'],
          ['GET', '/statistics'],
          ['POST', '/queues/rollouts/dequeue'],
          ['POST', '/workers/w'],
        ]) {
          const res = await b(method!, path!);
          expect(res.status, path).toBe(401);
          expect(res.body).toEqual({ detail: 'Invalid or missing API key' });
        }
        expect((await b('GET', '/statistics', undefined, { authorization: 'Bearer sekret' })).status).toBe(200);
        expect((await b('GET', '/rollouts', undefined, { 'x-api-key': 'sekret' })).status).toBe(200);
        expect((await call(`${server.url}/agl/v1/rollouts`, 'GET')).status).toBe(401);
      },
      { apiKey: 'sekret' },
    );
  });
});
