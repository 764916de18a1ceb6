/**
 * Conformance B1–B4, B8 and the rollout writes of `/v1/agl`: batch enqueue and dequeue, starts by a worker,
 * `resources_id: ""` kept, updates and their errors (docs/protocol.md §8.1, §8.3).
 */
import { describe, expect, it } from 'vitest';
import { engines } from '../helpers/http.js';
import {
  ATTEMPT_ID_RE,
  DEFAULT_CONFIG,
  ROLLOUT_ID_RE,
  ROLLOUT_KEYS,
  expectStatus,
  withServer,
  type Json,
} from '../conformance/fixtures.js';
import {
  dequeueMany,
  enqueueMany,
  enqueueN,
  startAttemptB,
  startRolloutB,
  useSharedV1Server,
  v1Api,
} from './helpers.js';

describe.each(engines)('queue conformance on /v1/agl (%s)', (engine) => {
  const s = useSharedV1Server(engine);

  it('B1 batch enqueue answers 201 with rollouts in request order, echoing mode, metadata and config', async () => {
    const bodies = [
      {
        input: { q: 1 },
        mode: 'train',
        metadata: { k: 'v' },
        config: { max_attempts: 2, retry_condition: ['failed'] },
      },
      { input: 'second', mode: 'val' },
    ];
    const rollouts = await enqueueMany(s.b, bodies);
    expect(rollouts).toHaveLength(2);
    for (const rollout of rollouts) {
      expect(Object.keys(rollout).sort()).toEqual([...ROLLOUT_KEYS].sort());
      expect(rollout.rollout_id).toMatch(ROLLOUT_ID_RE);
      expect(rollout).toMatchObject({ status: 'queuing', end_time: null });
      expect(rollout).not.toHaveProperty('attempt');
    }
    expect(rollouts[0]).toMatchObject({
      input: { q: 1 },
      mode: 'train',
      metadata: { k: 'v' },
      config: { ...DEFAULT_CONFIG, max_attempts: 2, retry_condition: ['failed'] },
    });
    expect(rollouts[1]).toMatchObject({ input: 'second', mode: 'val', metadata: {}, config: DEFAULT_CONFIG });
    const [first, second] = await dequeueMany(s.b, { limit: 2 });
    expect([first.rollout_id, second.rollout_id]).toEqual(rollouts.map((r) => r.rollout_id));
  });

  it('B1 {"rollouts":[]} answers 201 []; {} and an A-style body answer 422 at ["body","rollouts"]', async () => {
    expect(await enqueueMany(s.b, [])).toEqual([]);
    for (const body of [{}, { input: 1 }]) {
      const res = await s.b('POST', '/queues/rollouts/enqueue', body);
      expect(res.status).toBe(422);
      expect(res.body.detail).toEqual([
        { type: 'missing', loc: ['body', 'rollouts'], msg: 'Field required', input: body },
      ]);
    }
    const bad = await s.b('POST', '/queues/rollouts/enqueue', { rollouts: [{ input: 1 }, { mode: 'x' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.detail.map((d: Json) => d.loc)).toEqual([
      ['body', 'rollouts', 1, 'input'],
      ['body', 'rollouts', 1, 'mode'],
    ]);
    expect(await dequeueMany(s.b, { limit: 5 })).toEqual([]); // the valid first item was not stored either
  });

  it('B2 dequeue with limit and worker_id claims that many for the worker; then one by default; then []', async () => {
    const queued = await enqueueN(s.b, 3);
    const claimed = await dequeueMany(s.b, { limit: 2, worker_id: 'rest-worker' });
    expect(claimed.map((r) => r.rollout_id)).toEqual(queued.slice(0, 2).map((r) => r.rollout_id));
    for (const rollout of claimed) {
      expect(rollout.status).toBe('preparing');
      expect(rollout.attempt).toMatchObject({ sequence_id: 1, status: 'preparing', worker_id: 'rest-worker' });
      expect(rollout.attempt.attempt_id).toMatch(ATTEMPT_ID_RE);
    }
    const next = await dequeueMany(s.b);
    expect(next.map((r) => r.rollout_id)).toEqual([queued[2].rollout_id]);
    expect(next[0].attempt.worker_id).toBeNull();
    expect(await dequeueMany(s.b)).toEqual([]);
    expect(await dequeueMany(s.b, {})).toEqual([]);
  });

  it('B3 dequeue with limit 0 (or below) returns [] and leaves the queue intact', async () => {
    const [queued] = await enqueueN(s.b, 1);
    expect(await dequeueMany(s.b, { limit: 0 })).toEqual([]);
    expect(await dequeueMany(s.b, { limit: -3, worker_id: 'w' })).toEqual([]);
    expect(expectStatus(await s.b('GET', '/workers/w'), 200)).toBeNull();
    expect((await dequeueMany(s.b)).map((r) => r.rollout_id)).toEqual([queued.rollout_id]);
  });

  it('dequeue answers 422 to a malformed body or a non-integer limit', async () => {
    for (const body of ['{', '[]', '{"limit":"2"}', '{"limit":1.5}', '{"worker_id":5}']) {
      expect((await s.b('POST', '/queues/rollouts/dequeue', body)).status, body).toBe(422);
    }
  });

  it('B8 resources_id "" is stored as "", not replaced by the latest resources (unlike /agl/v1)', async () => {
    const latest = expectStatus(await s.b('POST', '/resources', {}), 201);
    const [empty, absent, explicitNull] = await enqueueMany(s.b, [
      { input: 1, resources_id: '' },
      { input: 2 },
      { input: 3, resources_id: null },
    ]);
    expect(empty.resources_id).toBe('');
    expect(absent.resources_id).toBe(latest.resources_id);
    expect(explicitNull.resources_id).toBe(latest.resources_id);
    expect((await startRolloutB(s.b, { input: 4, resources_id: '' })).resources_id).toBe('');
    const onA = expectStatus(await s.a('POST', '/queues/rollouts/enqueue', { input: 5, resources_id: '' }), 201);
    expect(onA.resources_id).toBe(latest.resources_id);
  });

  it('POST /rollouts starts a rollout for worker_id: 201 AttemptedRollout with attempt.worker_id', async () => {
    const started = await startRolloutB(s.b, { input: { q: 1 }, mode: 'test', worker_id: 'starter' });
    expect(started).toMatchObject({ input: { q: 1 }, mode: 'test', status: 'preparing' });
    expect(started).not.toHaveProperty('worker_id');
    expect(started.attempt).toMatchObject({ sequence_id: 1, status: 'preparing', worker_id: 'starter' });
    expect(started.attempt.start_time).toBe(started.start_time);
    expect(await dequeueMany(s.b)).toEqual([]);
    expect((await startRolloutB(s.b)).attempt.worker_id).toBeNull();
  });

  it('POST /rollouts/{id}/attempts starts an attempt, for worker_id when sent; unknown rollout 404', async () => {
    const [queued] = await enqueueN(s.b, 1);
    const first = await startAttemptB(s.b, queued.rollout_id);
    expect(first.attempt).toMatchObject({ sequence_id: 1, worker_id: null });
    const second = await startAttemptB(s.b, queued.rollout_id, { worker_id: 'retrier' });
    expect(second).toMatchObject({ rollout_id: queued.rollout_id, status: 'preparing' });
    expect(second.attempt).toMatchObject({ sequence_id: 2, worker_id: 'retrier' });
    expect(await dequeueMany(s.b)).toEqual([]);
    const unknown = await s.b('POST', '/rollouts/ro-000000000000/attempts', { worker_id: 'w' });
    expect(unknown).toMatchObject({ status: 404, body: { detail: 'Rollout ro-000000000000 not found' } });
    expect((await s.b('POST', `/rollouts/${queued.rollout_id}/attempts`, { worker_id: 3 })).status).toBe(422);
  });

  it('rollout and attempt updates behave as on /agl/v1: presence-sensitive, 400 for nulls, 404 for unknown ids', async () => {
    const [queued] = await enqueueN(s.b, 1, { metadata: { a: 1 } });
    const rid = queued.rollout_id;
    const updated = expectStatus(await s.b('POST', `/rollouts/${rid}`, { mode: 'val', status: 'cancelled' }), 200);
    expect(updated).toMatchObject({ mode: 'val', status: 'cancelled', metadata: { a: 1 } });
    expect(updated.end_time).not.toBeNull();
    expect(await s.b('POST', `/rollouts/${rid}`, { status: null })).toMatchObject({
      status: 400,
      body: { detail: 'status is invalid; it cannot be a null value.' },
    });
    expect((await s.b('POST', `/rollouts/${rid}`, { status: 'bogus' })).status).toBe(422);
    expect((await s.b('POST', '/rollouts/ro-000000000000', { mode: 'val' })).status).toBe(404);

    const started = await startAttemptB(s.b, rid, { worker_id: 'w' });
    const aid = started.attempt.attempt_id;
    const attempt = expectStatus(await s.b('POST', `/rollouts/${rid}/attempts/latest`, { status: 'succeeded' }), 200);
    expect(attempt).toMatchObject({ attempt_id: aid, status: 'succeeded' });
    expect(expectStatus(await s.b('GET', `/rollouts/${rid}`), 200).status).toBe('succeeded');
    expect(await s.b('POST', `/rollouts/${rid}/attempts/${aid}`, { worker_id: null })).toMatchObject({
      status: 400,
      body: { detail: 'worker_id is invalid; it cannot be a null value.' },
    });
    expect(await s.b('POST', `/rollouts/${rid}/attempts/at-00000000`, {})).toMatchObject({
      status: 404,
      body: { detail: 'Attempt at-00000000 not found' },
    });
    expect(expectStatus(await s.b('GET', `/rollouts/${rid}/attempts/latest`), 200)).toEqual(attempt);
  });

  it('lookups of unknown ids answer 200 null', async () => {
    for (const path of ['/rollouts/ro-000000000000', '/rollouts/ro-000000000000/attempts/latest', '/resources/nope']) {
      const res = await s.b('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toBe('null');
    }
  });
});

describe.each(engines)('concurrent batches on /v1/agl (%s)', (engine) => {
  it('B4 concurrent dequeues split the queue with no overlap; concurrent batch enqueues get distinct ids', async () => {
    await withServer(engine, async (_a, server) => {
      const b = v1Api(server);
      const batches = await Promise.all(Array.from({ length: 5 }, () => enqueueN(b, 3)));
      const enqueued = batches.flat().map((r) => r.rollout_id);
      expect(new Set(enqueued).size).toBe(15);
      for (const batch of batches) expect(batch.map((r) => r.input)).toEqual([0, 1, 2]);

      const [x, y] = await Promise.all([dequeueMany(b, { limit: 3 }), dequeueMany(b, { limit: 3 })]);
      expect(x).toHaveLength(3);
      expect(y).toHaveLength(3);
      const claimed = [...x, ...y].map((r) => r.rollout_id);
      expect(new Set(claimed).size).toBe(6);
      for (const id of claimed) expect(enqueued).toContain(id);
      expect(await dequeueMany(b, { limit: 20 })).toHaveLength(9);
    });
  });
});
