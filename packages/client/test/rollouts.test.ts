/** Rollout, queue, attempt and wait methods against the real server. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LightningStoreClient } from '../src/index.js';
import { fastClient, startServer, type RunningServer } from './server.js';

let server: RunningServer;
let client: LightningStoreClient;

beforeEach(async () => {
  server = await startServer();
  client = fastClient(server.url);
});
afterEach(async () => {
  await server.close();
});

describe('rollouts and the queue', () => {
  it('health answers ok, also with a base URL that already ends in /agl/v1/', async () => {
    expect(await client.health()).toEqual({ status: 'ok' });
    expect(await fastClient(`${server.url}/agl/v1/`).health()).toEqual({ status: 'ok' });
  });

  it('enqueues with defaults filled in and dequeues FIFO, then null on an empty queue', async () => {
    const first = await client.enqueueRollout({ input: { q: 1 }, mode: 'train', config: { max_attempts: 2 } });
    expect(first).toMatchObject({ input: { q: 1 }, mode: 'train', status: 'queuing', end_time: null, metadata: {} });
    expect(first.config).toEqual({
      timeout_seconds: null,
      unresponsive_seconds: null,
      max_attempts: 2,
      retry_condition: [],
    });
    expect(first).not.toHaveProperty('attempt');
    const second = await client.enqueueRollout({ input: null });

    const claimed = await client.dequeueRollout();
    expect(claimed?.rollout_id).toBe(first.rollout_id);
    expect(claimed?.status).toBe('preparing');
    expect(claimed?.attempt).toMatchObject({ rollout_id: first.rollout_id, sequence_id: 1, status: 'preparing' });
    expect((await client.dequeueRollout())?.rollout_id).toBe(second.rollout_id);
    expect(await client.dequeueRollout()).toBeNull();
  });

  it('starts a rollout with its first attempt, bypassing the queue', async () => {
    const started = await client.startRollout({ input: 'task', metadata: { source: 'test' } });
    expect(started.status).toBe('preparing');
    expect(started.attempt).toMatchObject({ sequence_id: 1, status: 'preparing' });
    expect(started.attempt.start_time).toBe(started.start_time);
    expect(await client.dequeueRollout()).toBeNull();
  });

  it('lists, searches and gets rollouts with their latest attempt; unknown IDs read as null', async () => {
    const queued = await client.enqueueRollout({ input: 1 });
    const started = await client.startRollout({ input: 2 });

    const all = await client.listRollouts();
    expect(all.map((r) => r.rollout_id)).toEqual([queued.rollout_id, started.rollout_id]);
    expect(all[0]).not.toHaveProperty('attempt');
    expect(all[1]?.attempt?.attempt_id).toBe(started.attempt.attempt_id);

    expect((await client.searchRollouts({ status: ['preparing'] })).map((r) => r.rollout_id)).toEqual([
      started.rollout_id,
    ]);
    expect(await client.searchRollouts({ rollout_ids: [] })).toEqual([]);
    // null filters are left out, so they filter nothing
    expect(await client.searchRollouts({ status: null, rollout_ids: [queued.rollout_id] })).toHaveLength(1);

    expect((await client.getRollout(started.rollout_id))?.attempt?.sequence_id).toBe(1);
    expect(await client.getRollout('ro-000000000000')).toBeNull();
  });

  it('sends only the update keys the caller set: absent keeps, null clears', async () => {
    const rollout = await client.enqueueRollout({ input: { a: 1 }, mode: 'val', metadata: { keep: true } });
    const updated = await client.updateRollout(rollout.rollout_id, { mode: null, input: undefined });
    expect(updated).toMatchObject({ mode: null, input: { a: 1 }, metadata: { keep: true }, status: 'queuing' });

    const cancelled = await client.updateRollout(rollout.rollout_id, {
      status: 'cancelled',
      config: { retry_condition: ['failed'] },
      metadata: null,
    });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.end_time).toEqual(expect.any(Number));
    expect(cancelled.metadata).toBeNull();
    expect(cancelled.config).toEqual({
      timeout_seconds: null,
      unresponsive_seconds: null,
      max_attempts: 1,
      retry_condition: ['failed'],
    });
  });
});

describe('attempts', () => {
  it('lists, starts, reads and updates attempts, by ID and by `latest`', async () => {
    const rollout = await client.enqueueRollout({
      input: null,
      config: { max_attempts: 3, retry_condition: ['failed'] },
    });
    expect(await client.listAttempts(rollout.rollout_id)).toEqual([]);
    expect(await client.getLatestAttempt(rollout.rollout_id)).toBeNull();

    const claimed = await client.dequeueRollout();
    const first = claimed!.attempt;
    const stamped = await client.updateAttempt(rollout.rollout_id, first.attempt_id, {
      worker_id: 'runner-1',
      metadata: { gpu: 0 },
    });
    expect(stamped).toMatchObject({ worker_id: 'runner-1', metadata: { gpu: 0 }, status: 'preparing' });

    const failed = await client.updateAttempt(rollout.rollout_id, 'latest', { status: 'failed' });
    expect(failed.end_time).toEqual(expect.any(Number));
    expect((await client.getRollout(rollout.rollout_id))?.status).toBe('requeuing');

    const manual = await client.startAttempt(rollout.rollout_id);
    expect(manual.attempt.sequence_id).toBe(2);
    expect(manual.status).toBe('preparing');
    expect((await client.getLatestAttempt(rollout.rollout_id))?.attempt_id).toBe(manual.attempt.attempt_id);
    expect((await client.listAttempts(rollout.rollout_id)).map((a) => a.sequence_id)).toEqual([1, 2]);
    expect(await client.listAttempts('ro-000000000000')).toEqual([]);
  });
});

describe('waits', () => {
  it('returns terminal rollouts as soon as they finish, and [] for an unknown ID', async () => {
    const rollout = await client.enqueueRollout({ input: null });
    const waiting = client.waitForRollouts([rollout.rollout_id], 5);
    setTimeout(() => void client.updateRollout(rollout.rollout_id, { status: 'succeeded' }), 200);
    const started = Date.now();
    const finished = await waiting;
    expect(Date.now() - started).toBeLessThan(3000);
    expect(finished.map((r) => [r.rollout_id, r.status])).toEqual([[rollout.rollout_id, 'succeeded']]);

    expect(await client.waitForRollouts(['ro-000000000000'], 0)).toEqual([]);
  });

  it('an unbounded wait can be cancelled with an AbortSignal', async () => {
    const rollout = await client.enqueueRollout({ input: null });
    const controller = new AbortController();
    const waiting = client.waitForRollouts([rollout.rollout_id], null, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(waiting).rejects.toMatchObject({ name: 'StoreError', kind: 'aborted', tries: 1 });
    expect(await client.health()).toEqual({ status: 'ok' });
  });
});
