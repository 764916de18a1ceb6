/** Conformance B7, B10 and health on `/v1/agl` (docs/protocol.md §8.1, §8.3, §8.6). */
import { describe, expect, it } from 'vitest';
import { engines, sleep } from '../helpers/http.js';
import { expectStatus } from '../conformance/fixtures.js';
import { addSpanB, enqueueN, heartbeat, startAttemptB, useSharedV1Server, useV1Server } from './helpers.js';

const STORE_NAMES = {
  memory: 'InMemoryLightningStore',
  sqlite: 'SqliteLightningStore',
  postgres: 'PostgresLightningStore',
} as const;

describe.each(engines)('statistics (%s)', (engine) => {
  const s = useV1Server(engine);
  const statistics = async () => expectStatus(await s.b('GET', '/statistics'), 200);

  it('B10 statistics name the store; each total grows by one with its kind of write; uptime grows', async () => {
    const before = await statistics();
    expect(Object.keys(before)).toEqual([
      'name',
      'total_rollouts',
      'total_attempts',
      'total_spans',
      'total_resources',
      'total_workers',
      'uptime',
    ]);
    expect(before).toMatchObject({
      name: STORE_NAMES[engine],
      total_rollouts: 0,
      total_attempts: 0,
      total_spans: 0,
      total_resources: 0,
      total_workers: 0,
    });
    expect(before.uptime).toBeGreaterThanOrEqual(0);

    const [rollout] = await enqueueN(s.b, 1);
    expect(await statistics()).toMatchObject({ total_rollouts: 1, total_attempts: 0 });
    const started = await startAttemptB(s.b, rollout.rollout_id);
    expect(await statistics()).toMatchObject({ total_rollouts: 1, total_attempts: 1, total_spans: 0 });
    await addSpanB(s.b, rollout.rollout_id, started.attempt.attempt_id, 1);
    expect(await statistics()).toMatchObject({ total_attempts: 1, total_spans: 1, total_resources: 0 });
    expectStatus(await s.b('POST', '/resources', {}), 201);
    expect(await statistics()).toMatchObject({ total_spans: 1, total_resources: 1, total_workers: 0 });
    await heartbeat(s.b, 'counted');
    await sleep(5);
    const after = await statistics();
    expect(after).toMatchObject({
      total_rollouts: 1,
      total_attempts: 1,
      total_spans: 1,
      total_resources: 1,
      total_workers: 1,
    });
    expect(after.uptime).toBeGreaterThan(before.uptime);
  });
});

describe.each(engines)('health and waits on /v1/agl (%s)', (engine) => {
  const s = useSharedV1Server(engine);

  it('GET /health answers 200 {"status":"ok"}', async () => {
    expect(expectStatus(await s.b('GET', '/health'), 200)).toEqual({ status: 'ok' });
  });

  it('B7 waits answer in request order, not completion order; unknown ids are dropped, repeats kept once', async () => {
    const [r1, r2, r3] = await enqueueN(s.b, 3);
    const ids = [r3.rollout_id, 'ro-000000000000', r1.rollout_id, r2.rollout_id, r3.rollout_id];
    const wait = s.b('POST', '/waits/rollouts', { rollout_ids: ids, timeout: 5 });
    for (const rollout of [r1, r2, r3]) {
      await sleep(20);
      expectStatus(await s.b('POST', `/rollouts/${rollout.rollout_id}`, { status: 'succeeded' }), 200);
    }
    const finished = expectStatus(await wait, 200);
    expect(finished.map((r: { rollout_id: string }) => r.rollout_id)).toEqual([
      r3.rollout_id,
      r1.rollout_id,
      r2.rollout_id,
    ]);
    expect(finished[0]).not.toHaveProperty('attempt');
    expect(finished[0].status).toBe('succeeded');
  });

  it('B7 a timeout answers with what finished so far, in request order; no rollout_ids answers 422', async () => {
    const [r1, r2] = await enqueueN(s.b, 2);
    await s.b('POST', `/rollouts/${r2.rollout_id}`, { status: 'cancelled' });
    const started = Date.now();
    const res = expectStatus(
      await s.b('POST', '/waits/rollouts', { rollout_ids: [r1.rollout_id, r2.rollout_id], timeout: 0.1 }),
      200,
    );
    expect(res.map((r: { rollout_id: string }) => r.rollout_id)).toEqual([r2.rollout_id]);
    expect(Date.now() - started).toBeLessThan(2000);
    const missing = await s.b('POST', '/waits/rollouts', { timeout: 0 });
    expect(missing.status).toBe(422);
    expect(missing.body.detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'rollout_ids'] });
  });
});
