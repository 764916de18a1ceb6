import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BaseQueryApi } from '@reduxjs/toolkit/query';
import { describeErrorBody } from '@agl/schemas';
import { createStoreBaseQuery, type ApiError } from './baseQuery';

/** A fetch stub that answers from a queue (a function runs when its turn comes) and records what it was asked. */
function stubFetch(...responses: (Response | Error | (() => Response))[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error('unexpected fetch');
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next() : next;
  });
  return { fetchFn: fn as unknown as typeof fetch, calls };
}

const json = (body: unknown, init: ResponseInit & { etag?: string } = {}) =>
  new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { 'Content-Type': 'application/json', ...(init.etag ? { ETag: init.etag } : {}) },
  });

let baseUrl = 'http://store.test:4747';
let apiKey = '';
function apiFor(): BaseQueryApi {
  return {
    signal: new AbortController().signal,
    abort: () => undefined,
    dispatch: vi.fn(),
    getState: () => ({ serverConfig: { baseUrl, apiKey } }),
    extra: undefined,
    endpoint: 'test',
    type: 'query',
  };
}

afterEach(() => {
  baseUrl = 'http://store.test:4747';
  apiKey = '';
});

describe('store base query', () => {
  it('prefixes /agl/v1, drops null params and reads the base URL at call time', async () => {
    const { fetchFn, calls } = stubFetch(json([]), json([]));
    const query = createStoreBaseQuery({ fetchFn });
    await query({ url: '/spans', params: { rollout_id: 'ro-1', attempt_id: null } }, apiFor(), {});
    baseUrl = 'http://other.test:1/';
    await query('/rollouts', apiFor(), {});
    expect(calls.map((c) => c.url)).toEqual([
      'http://store.test:4747/agl/v1/spans?rollout_id=ro-1',
      'http://other.test:1/agl/v1/rollouts',
    ]);
    expect(calls[0]?.init.cache).toBe('no-store');
  });

  it('revalidates with If-None-Match and returns the same object on 304', async () => {
    const { fetchFn, calls } = stubFetch(
      json([{ id: 1 }], { etag: 'W/"a"' }),
      new Response(null, { status: 304, headers: { ETag: 'W/"a"' } }),
      json([{ id: 2 }], { etag: 'W/"b"' }),
    );
    const query = createStoreBaseQuery({ fetchFn });
    const first = await query('/rollouts', apiFor(), {});
    const second = await query('/rollouts', apiFor(), {});
    const third = await query('/rollouts', apiFor(), {});

    expect((calls[0]?.init.headers as Record<string, string>)['If-None-Match']).toBeUndefined();
    expect((calls[1]?.init.headers as Record<string, string>)['If-None-Match']).toBe('W/"a"');
    expect(second.data).toBe(first.data);
    expect((calls[2]?.init.headers as Record<string, string>)['If-None-Match']).toBe('W/"a"');
    expect(third.data).toEqual([{ id: 2 }]);
  });

  it('remembers ETags per URL, including the base URL', async () => {
    const { fetchFn, calls } = stubFetch(json([], { etag: 'W/"x"' }), json([], { etag: 'W/"y"' }), json([]));
    const query = createStoreBaseQuery({ fetchFn });
    await query('/rollouts', apiFor(), {});
    baseUrl = 'http://second.test:2';
    await query('/rollouts', apiFor(), {});
    await query('/resources', apiFor(), {});
    for (const call of calls) expect((call.init.headers as Record<string, string>)['If-None-Match']).toBeUndefined();
  });

  it('forgets the least recently used URL beyond its limit', async () => {
    const { fetchFn, calls } = stubFetch(
      json(1, { etag: '"1"' }),
      json(2, { etag: '"2"' }),
      json(3, { etag: '"3"' }),
      json(1, { etag: '"1"' }),
    );
    const query = createStoreBaseQuery({ fetchFn, maxRemembered: 2 });
    for (const path of ['/a', '/b', '/c', '/a']) await query(path, apiFor(), {});
    expect((calls[3]?.init.headers as Record<string, string>)['If-None-Match']).toBeUndefined();
  });

  it('never sends If-None-Match on writes and sends JSON bodies', async () => {
    const { fetchFn, calls } = stubFetch(json({}, { etag: '"w"' }), json({}));
    const query = createStoreBaseQuery({ fetchFn });
    await query({ url: '/resources', method: 'POST', body: { a: 1 } }, apiFor(), {});
    await query({ url: '/resources', method: 'POST', body: { a: 1 } }, apiFor(), {});
    const headers = calls[1]?.init.headers as Record<string, string>;
    expect(headers['If-None-Match']).toBeUndefined();
    expect(headers['Content-Type']).toBe('application/json');
    expect(calls[1]?.init.body).toBe('{"a":1}');
  });

  it("surfaces the server's detail message", async () => {
    const { fetchFn } = stubFetch(
      json({ detail: 'Rollout ro-x not found' }, { status: 404 }),
      json({ detail: [{ type: 'missing', loc: ['query', 'rollout_id'], msg: 'Field required' }] }, { status: 422 }),
      new Response('<html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    const query = createStoreBaseQuery({ fetchFn });
    expect((await query('/x', apiFor(), {})).error).toEqual({ status: 404, message: 'Rollout ro-x not found' });
    expect((await query('/x', apiFor(), {})).error).toEqual({
      status: 422,
      message: 'query.rollout_id: Field required',
    });
    expect((await query('/x', apiFor(), {})).error).toEqual({ status: 502, message: 'HTTP 502 Bad Gateway' });
  });

  it('reports network failures and timeouts with the address', async () => {
    const { fetchFn } = stubFetch(new TypeError('Failed to fetch'));
    const query = createStoreBaseQuery({ fetchFn });
    const failed = (await query('/health', apiFor(), {})).error as ApiError;
    expect(failed.status).toBe('FETCH_ERROR');
    expect(failed.message).toContain('http://store.test:4747');

    const hanging = vi.fn(
      (_url: string, init: RequestInit) =>
        new Promise<Response>((_resolve, reject) =>
          init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    );
    const slow = createStoreBaseQuery({ fetchFn: hanging as unknown as typeof fetch });
    const timedOut = (await slow('/health', apiFor(), { timeoutMs: 20 })).error as ApiError;
    expect(timedOut.status).toBe('TIMEOUT_ERROR');
  });

  it('describes unknown error bodies by status', () => {
    expect(describeErrorBody(500, '', { detail: 'Internal server error', error_type: 'X' })).toBe(
      'Internal server error',
    );
    expect(describeErrorBody(503, 'Service Unavailable', null)).toBe('HTTP 503 Service Unavailable');
  });

  it('sends the API key as a bearer token on every request, and no header without one', async () => {
    const { fetchFn, calls } = stubFetch(json([]), json([]), json({}));
    const query = createStoreBaseQuery({ fetchFn });
    await query('/rollouts', apiFor(), {});
    apiKey = 's3cret-key';
    await query('/rollouts', apiFor(), {});
    await query({ url: '/resources', method: 'POST', body: {} }, apiFor(), {});
    const auth = calls.map((c) => (c.init.headers as Record<string, string>).Authorization);
    expect(auth).toEqual([undefined, 'Bearer s3cret-key', 'Bearer s3cret-key']);
    expect(calls.every((c) => !c.url.includes('s3cret'))).toBe(true);
  });

  it('reports a refused key without the key, and retries a 401 once when the key changed meanwhile', async () => {
    const refused = () => json({ detail: 'Invalid or missing API key' }, { status: 401 });
    apiKey = 'wrong-key';
    // The second request is answered after the user saved another key: its 401 belongs to the old key.
    const savedMeanwhile = () => {
      apiKey = 'right-key';
      return refused();
    };
    const { fetchFn, calls } = stubFetch(refused(), savedMeanwhile, json([{ id: 1 }]));
    const query = createStoreBaseQuery({ fetchFn });
    const failed = await query('/rollouts', apiFor(), {});
    expect(failed.error).toEqual({ status: 401, message: 'Invalid or missing API key' });
    expect(JSON.stringify(failed)).not.toContain('wrong-key');

    const retried = await query('/rollouts', apiFor(), {});
    expect(retried.data).toEqual([{ id: 1 }]);
    expect((calls.at(-1)?.init.headers as Record<string, string>).Authorization).toBe('Bearer right-key');
  });
});
