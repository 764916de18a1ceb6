/**
 * Conformance W1–W13 (docs/behaviours.md, section W) and the long-poll latency check: `POST /waits/rollouts` over
 * real HTTP, with rollouts finished from other concurrent requests. Time bounds are those of docs/behaviours.md.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, sleep, startServer, type ApiResponse, type TestServer } from '../helpers/http.js';

const unknownId = () => `ro-${randomBytes(6).toString('hex')}`;

describe.each(engines)('waits conformance (%s)', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(engine);
    // Warm the connection pool so the first timed request does not pay for TCP setup.
    await server.api('GET', '/health');
  });
  afterAll(async () => {
    await server.close();
  });
  const api = (method: string, path: string, body?: unknown) => server.api(method, path, body);

  /** A rollout that is running (started, with its attempt 1 `running`). */
  async function running(): Promise<string> {
    const res = await api('POST', '/rollouts', { input: 'wait-me' });
    expect(res.status).toBe(201);
    await api('POST', `/rollouts/${res.body.rollout_id}/attempts/latest`, { status: 'running' });
    return res.body.rollout_id;
  }
  const setStatus = async (rid: string, status: string) => {
    const res = await api('POST', `/rollouts/${rid}`, { status });
    expect(res.status).toBe(200);
  };
  const finishAttempt = async (rid: string, status: 'succeeded' | 'failed') => {
    const res = await api('POST', `/rollouts/${rid}/attempts/latest`, { status });
    expect(res.status).toBe(200);
  };
  /** Starts a wait and resolves with its response and how long it took (ms). */
  async function timedWait(body: unknown): Promise<{ res: ApiResponse; ms: number; at: number }> {
    const started = performance.now();
    const res = await api('POST', '/waits/rollouts', body);
    const at = performance.now();
    return { res, ms: at - started, at };
  }
  const ids = (res: ApiResponse) => (res.body as Array<{ rollout_id: string }>).map((r) => r.rollout_id);

  it('W1 timeout 0 answers within 50 ms with the listed rollouts already terminal', async () => {
    const [a, b, c] = [await running(), await running(), await running()];
    await setStatus(a, 'succeeded');
    await setStatus(c, 'cancelled');
    const { res, ms } = await timedWait({ rollout_ids: [a, b, c], timeout: 0 });
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([a, c]);
    expect(ms).toBeLessThan(50);
  });

  it('W2 timeout 0.1 with nothing finishing answers [] in under 0.2 s', async () => {
    const a = await running();
    const { res, ms } = await timedWait({ rollout_ids: [a], timeout: 0.1 });
    expect(res.body).toEqual([]);
    expect(ms).toBeGreaterThanOrEqual(90);
    expect(ms).toBeLessThan(200);
  });

  it('W3 two rollouts finished during a 5 s wait come back promptly with their terminal statuses', async () => {
    const [a, b] = [await running(), await running()];
    const wait = timedWait({ rollout_ids: [a, b], timeout: 5 });
    await sleep(100);
    await finishAttempt(a, 'succeeded');
    await finishAttempt(b, 'failed');
    const { res, ms } = await wait;
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(
      (res.body as Array<{ rollout_id: string; status: string }>).map((r) => [r.rollout_id, r.status]),
    );
    expect(byId).toEqual({ [a]: 'succeeded', [b]: 'failed' });
    expect(ms).toBeLessThan(1000);
  });

  it('W4 rollouts already terminal come back in under 100 ms even with a long timeout', async () => {
    const a = await running();
    await setStatus(a, 'failed');
    const { res, ms } = await timedWait({ rollout_ids: [a], timeout: 30 });
    expect(ids(res)).toEqual([a]);
    expect(ms).toBeLessThan(100);
  });

  it('W5 when the timeout expires, the rollouts finished so far are returned', async () => {
    const [a, b] = [await running(), await running()];
    const wait = timedWait({ rollout_ids: [a, b], timeout: 0.5 });
    await sleep(100);
    await finishAttempt(a, 'succeeded');
    const { res, ms } = await wait;
    expect(ids(res)).toEqual([a]);
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(1000);
  });

  it('W6 timeout null waits for completion: finished 0.5 s in, returned 0.4–0.7 s after the request', async () => {
    const a = await running();
    const wait = timedWait({ rollout_ids: [a], timeout: null });
    await sleep(500);
    await setStatus(a, 'succeeded');
    const { res, ms } = await wait;
    expect(ids(res)).toEqual([a]);
    expect(ms).toBeGreaterThanOrEqual(400);
    expect(ms).toBeLessThanOrEqual(700);
  });

  it('W7 a client that disconnects from an unbounded wait leaves the server healthy', async () => {
    const a = await running();
    const abort = new AbortController();
    const aborted = fetch(`${server.url}/agl/v1/waits/rollouts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rollout_ids: [a], timeout: null }),
      signal: abort.signal,
    }).catch((error: unknown) => error);
    await sleep(100);
    abort.abort();
    expect(await aborted).toBeInstanceOf(Error);
    const started = performance.now();
    const health = await api('GET', '/health');
    expect(health.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(200);
    // Finishing the abandoned rollout afterwards must not trip over the gone client.
    await setStatus(a, 'succeeded');
    expect((await api('GET', '/rollouts')).status).toBe(200);
    expect(ids((await timedWait({ rollout_ids: [a], timeout: 0 })).res)).toEqual([a]);
  });

  it('W8 five concurrent waiters on one rollout all receive it', async () => {
    const a = await running();
    const waits = Array.from({ length: 5 }, () => timedWait({ rollout_ids: [a], timeout: 5 }));
    await sleep(100);
    await finishAttempt(a, 'succeeded');
    for (const { res, ms } of await Promise.all(waits)) {
      expect(ids(res)).toEqual([a]);
      expect(ms).toBeLessThan(1000);
    }
  });

  it('W9 unknown IDs are ignored and never block', async () => {
    const only = await timedWait({ rollout_ids: [unknownId(), unknownId()], timeout: 0.1 });
    expect(only.res.body).toEqual([]);
    expect(only.ms).toBeLessThan(300);
    const a = await running();
    await setStatus(a, 'succeeded');
    const mixed = await timedWait({ rollout_ids: [unknownId(), a, unknownId()], timeout: 5 });
    expect(ids(mixed.res)).toEqual([a]);
    expect(mixed.ms).toBeLessThan(1000);
  });

  it('W10 requeuing does not count as finished; succeeded, failed and cancelled do', async () => {
    const [q, s, f, c] = [await running(), await running(), await running(), await running()];
    const wait = timedWait({ rollout_ids: [q], timeout: 0.3 });
    await sleep(50);
    await setStatus(q, 'requeuing');
    expect((await wait).res.body).toEqual([]);
    await setStatus(s, 'succeeded');
    await setStatus(f, 'failed');
    await setStatus(c, 'cancelled');
    const { res } = await timedWait({ rollout_ids: [q, s, f, c], timeout: 0 });
    expect(ids(res)).toEqual([s, f, c]);
    expect((res.body as Array<{ status: string }>).map((r) => r.status)).toEqual(['succeeded', 'failed', 'cancelled']);
  });

  it('W11 a wait does not block other requests: a cancel during a 2 s wait ends it promptly', async () => {
    const a = await running();
    const wait = timedWait({ rollout_ids: [a], timeout: 2 });
    await sleep(100);
    await setStatus(a, 'cancelled');
    const { res, ms } = await wait;
    expect(res.body).toEqual([expect.objectContaining({ rollout_id: a, status: 'cancelled' })]);
    expect(ms).toBeLessThan(1000);
  });

  it('W12 results have no attempt key; already-terminal first in request order, then completion order; no repeats', async () => {
    const [a, b, c, d] = [await running(), await running(), await running(), await running()];
    await setStatus(b, 'succeeded');
    await setStatus(a, 'failed');
    const wait = timedWait({ rollout_ids: [c, a, d, b, a, c], timeout: 5 });
    await sleep(100);
    await finishAttempt(d, 'succeeded');
    await sleep(20);
    await setStatus(c, 'cancelled');
    const { res } = await wait;
    expect(ids(res)).toEqual([a, b, d, c]);
    for (const rollout of res.body as Array<Record<string, unknown>>) expect(rollout).not.toHaveProperty('attempt');
  });

  it('W13 a wait without rollout_ids answers 422', async () => {
    const res = await api('POST', '/waits/rollouts', { timeout: 0 });
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'missing', loc: ['body', 'rollout_ids'] })]),
    );
  });

  it('long-poll latency: a wait wakes within 50 ms of an attempt update while other requests keep flowing', async () => {
    const a = await running();
    const wait = timedWait({ rollout_ids: [a], timeout: null });
    let waitDone = false;
    void wait.then(() => (waitDone = true));
    await sleep(50);
    const started = performance.now();
    const others = await Promise.all(
      Array.from({ length: 50 }, (_, i) => api('GET', i % 2 === 0 ? '/health' : '/rollouts')),
    );
    const othersMs = performance.now() - started;
    expect(others.every((r) => r.status === 200)).toBe(true);
    expect(othersMs).toBeLessThan(2000);
    expect(waitDone).toBe(false);
    await finishAttempt(a, 'succeeded');
    const updatedAt = performance.now();
    const { res, at } = await wait;
    expect(ids(res)).toEqual([a]);
    expect(res.body[0].status).toBe('succeeded');
    expect(at - updatedAt).toBeLessThan(50);
  });
});
