/**
 * Conformance C1–C4 (docs/behaviours.md, section C) and the exactly-once dequeue check at scale: 64 concurrent
 * dequeuers over keep-alive HTTP against 1,000 queued rollouts. Each test gets a fresh server because dequeue
 * outcomes depend on the whole queue.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines, startServer, type TestServer } from '../helpers/http.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe.each(engines)('concurrency conformance (%s)', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });
  const api = (method: string, path: string, body?: unknown) => server.api(method, path, body);

  /** Enqueues `n` rollouts, `parallel` at a time, and returns their IDs in enqueue-call order. */
  async function enqueueMany(n: number, parallel = 1): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < n; i += parallel) {
      const batch = await Promise.all(
        range(Math.min(parallel, n - i)).map((j) => api('POST', '/queues/rollouts/enqueue', { input: i + j })),
      );
      for (const res of batch) {
        expect(res.status).toBe(201);
        out.push(res.body.rollout_id);
      }
    }
    return out;
  }

  it('C1 50 concurrent enqueues produce 50 distinct rollout IDs', async () => {
    const results = await Promise.all(range(50).map((i) => api('POST', '/queues/rollouts/enqueue', { input: i })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const ids = results.map((r) => r.body.rollout_id as string);
    expect(new Set(ids).size).toBe(50);
    const listed = (await api('GET', '/rollouts')).body as Array<{ rollout_id: string }>;
    expect(new Set(listed.map((r) => r.rollout_id))).toEqual(new Set(ids));
  });

  it('C2 30 concurrent dequeues over 20 queued rollouts give 20 distinct rollouts and 10 nulls', async () => {
    const queued = await enqueueMany(20, 20);
    const results = await Promise.all(range(30).map(() => api('POST', '/queues/rollouts/dequeue')));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const claimed = results.filter((r) => r.body !== null).map((r) => r.body.rollout_id as string);
    expect(claimed).toHaveLength(20);
    expect(new Set(claimed)).toEqual(new Set(queued));
    expect(results.filter((r) => r.body === null)).toHaveLength(10);
    for (const res of results.filter((r) => r.body !== null)) expect(res.body.attempt.sequence_id).toBe(1);
  });

  it('C3 30 concurrent span sequence allocations for one rollout return exactly 1..30', async () => {
    const started = await api('POST', '/rollouts', { input: 1 });
    const body = { rollout_id: started.body.rollout_id, attempt_id: started.body.attempt.attempt_id };
    const results = await Promise.all(range(30).map(() => api('POST', '/spans/next', body)));
    const got = results.map((r) => r.body.sequence_id as number).sort((a, b) => a - b);
    expect(got).toEqual(range(30));
  });

  it('C4 50 concurrent upserts on 50 resources IDs are all readable afterwards', async () => {
    const llm = (i: number) => ({ resource_type: 'llm', endpoint: `http://h/${i}/v1`, model: `m${i}` });
    const results = await Promise.all(range(50).map((i) => api('POST', `/resources/res-${i}`, { main: llm(i) })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    for (const i of range(50)) {
      const res = await api('GET', `/resources/res-${i}`);
      expect(res.body).toMatchObject({ resources_id: `res-${i}`, version: 1, resources: { main: llm(i) } });
    }
    expect((await api('GET', '/resources')).body).toHaveLength(50);
  });

  it('64 concurrent dequeuers claim each of 1,000 queued rollouts exactly once', async () => {
    const queued = await enqueueMany(1000, 16);
    const claims: string[] = [];
    let errors = 0;
    // Each worker keeps dequeuing over the shared keep-alive pool until the queue answers null.
    const worker = async () => {
      for (;;) {
        const res = await api('POST', '/queues/rollouts/dequeue');
        if (res.status !== 200) {
          errors++;
          return;
        }
        if (res.body === null) return;
        expect(res.body.attempt.sequence_id).toBe(1);
        claims.push(res.body.rollout_id);
      }
    };
    await Promise.all(range(64).map(worker));
    expect(errors).toBe(0);
    expect(claims).toHaveLength(1000);
    expect(new Set(claims)).toEqual(new Set(queued));
    for (let i = 0; i < 3; i++) expect((await api('POST', '/queues/rollouts/dequeue')).body).toBeNull();
    // No rollout got a second attempt behind our back.
    const listed = (await api('GET', '/rollouts')).body as Array<{ status: string; attempt: { sequence_id: number } }>;
    expect(listed).toHaveLength(1000);
    expect(listed.every((r) => r.status === 'preparing' && r.attempt.sequence_id === 1)).toBe(true);
  }, 60_000);
});
