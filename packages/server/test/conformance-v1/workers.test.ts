/**
 * Conformance K1–K10: worker records on `/v1/agl`, kept by heartbeats, dequeues, starts and attempt statuses
 * (the watchdog's included), and their pages (docs/protocol.md §8.4).
 */
import { describe, expect, it } from 'vitest';
import { engines, sleep } from '../helpers/http.js';
import { addSpan, expectRecentTime, expectStatus, type Json } from '../conformance/fixtures.js';
import {
  bothWays,
  dequeueMany,
  enqueueN,
  getWorker,
  heartbeat,
  ids,
  startAttemptB,
  startRolloutB,
  updateAttemptB,
  useSharedV1Server,
  useV1Server,
  withV1Server,
} from './helpers.js';

const WORKER_KEYS = [
  'worker_id',
  'status',
  'heartbeat_stats',
  'last_heartbeat_time',
  'last_dequeue_time',
  'last_busy_time',
  'last_idle_time',
  'current_rollout_id',
  'current_attempt_id',
];

/** A worker id no other test of the shared server uses. */
let counter = 0;
const fresh = (name: string) => `${name}-${++counter}`;

describe.each(engines)('worker conformance (%s)', (engine) => {
  const s = useSharedV1Server(engine);

  it('K1 a heartbeat creates the worker as unknown with its stats; another advances the heartbeat only', async () => {
    const id = fresh('worker');
    const first = await heartbeat(s.b, id, { heartbeat_stats: { cpu: 0.7 } });
    expect(Object.keys(first)).toEqual(WORKER_KEYS);
    expect(first).toMatchObject({
      worker_id: id,
      status: 'unknown',
      heartbeat_stats: { cpu: 0.7 },
      last_dequeue_time: null,
      last_busy_time: null,
      last_idle_time: null,
      current_rollout_id: null,
      current_attempt_id: null,
    });
    expectRecentTime(first.last_heartbeat_time);
    await sleep(5);
    const second = await heartbeat(s.b, id, { heartbeat_stats: { cpu: 0.2, mem: 1 } });
    expect(second.last_heartbeat_time).toBeGreaterThan(first.last_heartbeat_time);
    expect(second).toMatchObject({ status: 'unknown', heartbeat_stats: { cpu: 0.2, mem: 1 } });
    expect(await getWorker(s.b, id)).toEqual(second);
  });

  it('K2 a heartbeat without heartbeat_stats keeps the stored stats and advances the heartbeat', async () => {
    const id = fresh('worker');
    const first = await heartbeat(s.b, id, { heartbeat_stats: { gpu: [1, 2] } });
    await sleep(5);
    for (const body of [undefined, {}]) {
      const next = await heartbeat(s.b, id, body);
      expect(next.heartbeat_stats).toEqual({ gpu: [1, 2] });
      expect(next.last_heartbeat_time).toBeGreaterThan(first.last_heartbeat_time);
    }
  });

  it('K3 heartbeat_stats: null answers 400 and changes nothing; a non-object answers 422', async () => {
    const id = fresh('worker');
    const res = await s.b('POST', `/workers/${id}`, { heartbeat_stats: null });
    expect(res).toMatchObject({
      status: 400,
      body: { detail: 'heartbeat_stats is invalid; it cannot be a null value.' },
    });
    expect(await getWorker(s.b, id)).toBeNull();
    for (const body of [{ heartbeat_stats: [1] }, { heartbeat_stats: 'x' }, '{']) {
      expect((await s.b('POST', `/workers/${id}`, body)).status).toBe(422);
    }
    expect(await getWorker(s.b, id)).toBeNull();
  });

  it('K4 GET /workers/{unknown} answers 200 null', async () => {
    const res = await s.b('GET', '/workers/missing-worker');
    expect(res.status).toBe(200);
    expect(res.text).toBe('null');
  });

  it('K5 a dequeue that claims makes the worker busy with the claim; on an empty queue it turns idle', async () => {
    const id = fresh('runner');
    await enqueueN(s.b, 2);
    const claimed = await dequeueMany(s.b, { limit: 2, worker_id: id });
    const busy = await getWorker(s.b, id);
    expect(busy).toMatchObject({
      status: 'busy',
      current_rollout_id: claimed[1].rollout_id,
      current_attempt_id: claimed[1].attempt.attempt_id,
      last_idle_time: null,
    });
    expectRecentTime(busy.last_dequeue_time);
    expect(busy.last_busy_time).toBe(busy.last_dequeue_time);

    await sleep(5);
    expect(await dequeueMany(s.b, { worker_id: id })).toEqual([]);
    const idle = await getWorker(s.b, id);
    expect(idle.status).toBe('idle');
    expect(idle.last_idle_time).toBe(idle.last_dequeue_time);
    expect(idle.last_dequeue_time).toBeGreaterThan(busy.last_dequeue_time);

    // Already idle: another empty dequeue only moves last_dequeue_time.
    await sleep(5);
    expect(await dequeueMany(s.b, { worker_id: id })).toEqual([]);
    const again = await getWorker(s.b, id);
    expect(again.last_idle_time).toBe(idle.last_idle_time);
    expect(again.last_dequeue_time).toBeGreaterThan(idle.last_dequeue_time);

    const newcomer = fresh('runner');
    expect(await dequeueMany(s.b, { worker_id: newcomer })).toEqual([]);
    expect(await getWorker(s.b, newcomer)).toMatchObject({ status: 'idle', current_rollout_id: null });
  });

  it('K6 POST /rollouts and start-attempt with worker_id make the worker busy with the new attempt', async () => {
    const starter = fresh('starter');
    const started = await startRolloutB(s.b, { input: 1, worker_id: starter });
    expect(await getWorker(s.b, starter)).toMatchObject({
      status: 'busy',
      current_rollout_id: started.rollout_id,
      current_attempt_id: started.attempt.attempt_id,
      last_dequeue_time: null,
    });
    const retrier = fresh('retrier');
    const retry = await startAttemptB(s.b, started.rollout_id, { worker_id: retrier });
    expect(retry.attempt.worker_id).toBe(retrier);
    const worker = await getWorker(s.b, retrier);
    expect(worker).toMatchObject({
      status: 'busy',
      current_rollout_id: started.rollout_id,
      current_attempt_id: retry.attempt.attempt_id,
    });
    expectRecentTime(worker.last_busy_time);
  });

  it('K7 attempt running keeps the worker busy; succeeded makes it idle with its ids cleared', async () => {
    const id = fresh('runner');
    await enqueueN(s.b, 1);
    const [claimed] = await dequeueMany(s.b, { worker_id: id });
    const { rollout_id, attempt } = claimed;
    await sleep(5);
    await updateAttemptB(s.b, rollout_id, attempt.attempt_id, { status: 'running' });
    const running = await getWorker(s.b, id);
    expect(running).toMatchObject({ status: 'busy', current_rollout_id: rollout_id });
    expect(running.last_busy_time).toBeGreaterThanOrEqual(running.last_dequeue_time);
    await sleep(5);
    await updateAttemptB(s.b, rollout_id, attempt.attempt_id, { status: 'succeeded' });
    const done = await getWorker(s.b, id);
    expect(done).toMatchObject({ status: 'idle', current_rollout_id: null, current_attempt_id: null });
    expect(done.last_idle_time).toBeGreaterThanOrEqual(done.last_busy_time);
  });

  it('K7 an attempt update that names a worker makes that worker busy (a v0.2-style runner)', async () => {
    const id = fresh('late-namer');
    await enqueueN(s.b, 1);
    const claimed = expectStatus(await s.a('POST', '/queues/rollouts/dequeue'), 200);
    await updateAttemptB(s.b, claimed.rollout_id, claimed.attempt.attempt_id, { worker_id: id });
    expect(await getWorker(s.b, id)).toMatchObject({
      status: 'busy',
      current_attempt_id: claimed.attempt.attempt_id,
    });
    await updateAttemptB(s.b, claimed.rollout_id, 'latest', { status: 'failed' });
    expect((await getWorker(s.b, id)).status).toBe('idle');
  });

  it('K9 attempt-driven changes keep heartbeat_stats and last_heartbeat_time', async () => {
    const id = fresh('runner');
    const beat = await heartbeat(s.b, id, { heartbeat_stats: { cpu: 0.5 } });
    await enqueueN(s.b, 1);
    const [claimed] = await dequeueMany(s.b, { worker_id: id });
    await updateAttemptB(s.b, claimed.rollout_id, claimed.attempt.attempt_id, { status: 'succeeded' });
    const worker = await getWorker(s.b, id);
    expect(worker).toMatchObject({
      status: 'idle',
      heartbeat_stats: { cpu: 0.5 },
      last_heartbeat_time: beat.last_heartbeat_time,
    });
  });
});

describe.concurrent.each(engines)('worker watchdog (%s)', (engine) => {
  it.concurrent.each(['timeout', 'unresponsive'])(
    'K8 a watchdog %s makes the attempt’s worker unknown',
    async (kind) => {
      await withV1Server(engine, async (b) => {
        const config = kind === 'timeout' ? { timeout_seconds: 0.1 } : { unresponsive_seconds: 0.1 };
        const [rollout] = await enqueueN(b, 1, { config });
        const [claimed] = await dequeueMany(b, { worker_id: 'slow-runner' });
        expect((await getWorker(b, 'slow-runner')).status).toBe('busy');
        await sleep(200);
        const latest = expectStatus(await b('GET', `/rollouts/${rollout.rollout_id}/attempts/latest`), 200);
        expect(latest).toMatchObject({ attempt_id: claimed.attempt.attempt_id, status: kind });
        const worker = await getWorker(b, 'slow-runner');
        expect(worker).toMatchObject({ status: 'unknown', current_rollout_id: null, current_attempt_id: null });
        expectRecentTime(worker.last_idle_time);
      });
    },
  );
});

describe.each(engines)('worker pages (%s)', (engine) => {
  const s = useV1Server(engine);

  it('K10 status_in, worker_id_contains, sort_by and sort_order select and order workers', async () => {
    await enqueueN(s.b, 3);
    for (const id of ['worker-a', 'worker-b', 'worker-c']) await dequeueMany(s.b, { worker_id: id });
    await heartbeat(s.b, 'other-1');
    const [aRollout] = (await bothWays(s.b, '/workers', { worker_id_contains: 'worker-a' })).items.map(
      (w: Json) => w.current_rollout_id,
    );
    await updateAttemptB(s.b, aRollout, 'latest', { status: 'succeeded' });

    const params = { status_in: 'busy', worker_id_contains: 'worker', sort_by: 'worker_id', sort_order: 'desc' };
    const result = await bothWays(s.b, '/workers', { ...params, status_in: ['busy'] });
    expect(result).toMatchObject({ limit: -1, offset: 0, total: 2 });
    expect(ids(result, 'worker_id')).toEqual(['worker-c', 'worker-b']);
    // A single query value reads as a one-item list.
    expect(expectStatus(await s.b('GET', `/workers?${new URLSearchParams(params)}`), 200)).toEqual(result);
  });

  it('workers page in first-seen order by default; filter_logic or; last_heartbeat_time nulls last', async () => {
    await heartbeat(s.b, 'zeta');
    await enqueueN(s.b, 1);
    await dequeueMany(s.b, { worker_id: 'alpha' });
    await sleep(5);
    await heartbeat(s.b, 'mid');
    expect(ids(await bothWays(s.b, '/workers'), 'worker_id')).toEqual(['zeta', 'alpha', 'mid']);
    const either = await bothWays(s.b, '/workers', {
      status_in: ['busy'],
      worker_id_contains: 'et',
      filter_logic: 'or',
    });
    expect(ids(either, 'worker_id')).toEqual(['zeta', 'alpha']);
    const byBeat = async (sort_order: string) =>
      ids(await bothWays(s.b, '/workers', { sort_by: 'last_heartbeat_time', sort_order }), 'worker_id');
    expect(await byBeat('asc')).toEqual(['zeta', 'mid', 'alpha']);
    expect(await byBeat('desc')).toEqual(['alpha', 'mid', 'zeta']);
    const paged = await bothWays(s.b, '/workers', { limit: 1, offset: 1 });
    expect(paged).toMatchObject({ limit: 1, offset: 1, total: 3 });
    expect(ids(paged, 'worker_id')).toEqual(['alpha']);
  });

  it('a span does not touch worker records; only attempt statuses and heartbeats do', async () => {
    await enqueueN(s.b, 1);
    const [claimed] = await dequeueMany(s.b, { worker_id: 'spanner' });
    const before = await getWorker(s.b, 'spanner');
    await addSpan(s.a, claimed.rollout_id, claimed.attempt.attempt_id, 1);
    expect(await getWorker(s.b, 'spanner')).toEqual(before);
  });
});
