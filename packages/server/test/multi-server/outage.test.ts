/**
 * The database going away mid-run: requests fail at once with a 503 that names the database, /health turns degraded,
 * and when PostgreSQL is back the server recovers by itself — no restart — including a wait that was pending on a
 * rollout another server finished during the outage. This test runs its own cluster: it stops PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, startPgCluster } from '../helpers/pg-cluster.mjs';
import { killStoreProcesses, startStoreProcess } from '../helpers/cli.js';
import { eventually, expectOk } from './helpers.js';

let cluster: Awaited<ReturnType<typeof startPgCluster>>;
beforeAll(async () => {
  cluster = await startPgCluster({ durable: false });
});
afterAll(() => {
  killStoreProcesses();
  cluster?.stop();
});

describe('a database that goes away', () => {
  it('fails requests fast with 503 while it is gone and recovers by itself when it returns', async () => {
    const url = await createDatabase(cluster.adminUrl, 'agl_outage');
    const [a, b] = [await startStoreProcess({ db: url }), await startStoreProcess({ db: url })];
    const rollout = expectOk(await a.api('POST', '/rollouts', { input: 1 }), 201).body;
    const waiting = b.api('POST', '/waits/rollouts', { rollout_ids: [rollout.rollout_id], timeout: 60 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the wait has read its rollout and sleeps

    cluster.stopServer('fast');
    const started = performance.now();
    const failed = await a.api('POST', '/queues/rollouts/enqueue', { input: 2 });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('1');
    expect(failed.body.detail).toMatch(/PostgreSQL database agl_outage\S* on 127\.0\.0\.1:\d+ is unavailable/);
    expect((await a.api('GET', `/rollouts/${rollout.rollout_id}`)).status).toBe(503);
    const health = await eventually(
      async () => {
        const res = await a.api('GET', '/health');
        return res.body.status === 'degraded' ? res.body : undefined;
      },
      8000,
      '/health to report the lost database',
    );
    expect(health.problems[0].source).toBe('database');

    cluster.startServer();
    await eventually(
      async () => ((await a.api('GET', `/rollouts/${rollout.rollout_id}`)).status === 200 ? true : undefined),
      10_000,
      'reads to work again',
    );
    // Finished through a while b's wait is still pending from before the outage: b wakes, whether its listening
    // connection is back already (the notification) or reconnects a moment later (the resync re-reads its waits).
    expectOk(await a.api('POST', `/rollouts/${rollout.rollout_id}/attempts/latest`, { status: 'succeeded' }));
    const woken = expectOk(await waiting);
    expect(woken.body.map((r: { status: string }) => r.status)).toEqual(['succeeded']);
    expectOk(await a.api('POST', '/queues/rollouts/enqueue', { input: 3 }), 201);
    await eventually(
      async () => ((await b.api('GET', '/health')).body.status === 'ok' ? true : undefined),
      10_000,
      '/health to be ok again',
    );
  }, 60_000);
});
