/** Conformance Q1–Q21: enqueue, dequeue and the FIFO queue (docs/protocol.md §4.2–4.4, §4.9, §4.18, §5.9). */
import { describe, expect, it } from 'vitest';
import { engines } from '../helpers/http.js';
import {
  ATTEMPT_ID_RE,
  DEFAULT_CONFIG,
  ROLLOUT_ID_RE,
  ROLLOUT_KEYS,
  addSpan,
  dequeue,
  enqueue,
  expectStatus,
  getRollout,
  latestAttempt,
  listAttempts,
  startAttempt,
  startRollout,
  updateRollout,
  useSharedServer,
  withoutAttempt,
} from './fixtures.js';

describe.each(engines)('queue conformance (%s)', (engine) => {
  const s = useSharedServer(engine);

  it('Q1 enqueue answers 201 with a queuing Rollout and no attempt key', async () => {
    const rollout = expectStatus(await s.api('POST', '/queues/rollouts/enqueue', { input: { q: 1 } }), 201);
    expect(Object.keys(rollout).sort()).toEqual([...ROLLOUT_KEYS].sort());
    expect(rollout.rollout_id).toMatch(ROLLOUT_ID_RE);
    expect(rollout).toMatchObject({ input: { q: 1 }, status: 'queuing', end_time: null });
    expect(rollout).not.toHaveProperty('attempt');
  });

  it('Q2 enqueue echoes input, mode, resources_id and metadata exactly', async () => {
    const body = {
      input: { prompt: 'héllo', nested: [1, 2.5, { deep: null }], flag: true },
      mode: 'val',
      resources_id: 'res-explicit',
      metadata: { tags: ['a', 'b'], owner: { name: 'x' } },
    };
    const rollout = await enqueue(s.api, body);
    expect(rollout).toMatchObject(body);
    expect(await getRollout(s.api, rollout.rollout_id)).toMatchObject(body);
  });

  it('Q3 enqueue without config and metadata stores the default config and {}', async () => {
    const rollout = await enqueue(s.api, { input: 'x' });
    expect(rollout.config).toEqual(DEFAULT_CONFIG);
    expect(rollout.metadata).toEqual({});
    expect(await getRollout(s.api, rollout.rollout_id)).toMatchObject({ config: DEFAULT_CONFIG, metadata: {} });
  });

  it('Q4 enqueue keeps a full config and fills defaults for omitted config keys', async () => {
    const full = { timeout_seconds: 8.5, unresponsive_seconds: 4.2, max_attempts: 2, retry_condition: ['timeout'] };
    expect((await enqueue(s.api, { input: 1, config: full })).config).toEqual(full);
    const partial = await enqueue(s.api, { input: 1, config: { max_attempts: 3 } });
    expect(partial.config).toEqual({ ...DEFAULT_CONFIG, max_attempts: 3 });
    expect((await getRollout(s.api, partial.rollout_id)).config).toEqual({ ...DEFAULT_CONFIG, max_attempts: 3 });
  });

  it('Q5 enqueue accepts a null input', async () => {
    const rollout = expectStatus(await s.api('POST', '/queues/rollouts/enqueue', { input: null }), 201);
    expect(rollout).toHaveProperty('input', null);
  });

  it('Q6 enqueue drops unknown keys', async () => {
    const rollout = expectStatus(await s.api('POST', '/queues/rollouts/enqueue', { input: 1, foo: 2 }), 201);
    expect(rollout.input).toBe(1);
    expect(rollout).not.toHaveProperty('foo');
    expect(await getRollout(s.api, rollout.rollout_id)).not.toHaveProperty('foo');
  });

  it('Q7 a freshly enqueued rollout has no attempts', async () => {
    const { rollout_id } = await enqueue(s.api);
    expect(await listAttempts(s.api, rollout_id)).toEqual([]);
    const latest = await s.api('GET', `/rollouts/${rollout_id}/attempts/latest`);
    expect(latest.status).toBe(200);
    expect(latest.text.trim()).toBe('null');
  });

  it('Q8 dequeue on an empty queue answers 200 null, repeatedly', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await s.api('POST', '/queues/rollouts/dequeue');
      expect(res.status).toBe(200);
      expect(res.text.trim()).toBe('null');
    }
  });

  it('Q9 dequeue answers an AttemptedRollout with a fresh preparing attempt 1', async () => {
    const queued = await enqueue(s.api, { input: { q: 9 } });
    const claimed = await dequeue(s.api);
    expect(claimed).toMatchObject({
      rollout_id: queued.rollout_id,
      input: { q: 9 },
      status: 'preparing',
      end_time: null,
    });
    expect(claimed.attempt.attempt_id).toMatch(ATTEMPT_ID_RE);
    expect(claimed.attempt).toMatchObject({
      rollout_id: queued.rollout_id,
      sequence_id: 1,
      status: 'preparing',
      end_time: null,
      worker_id: null,
      last_heartbeat_time: null,
      metadata: null,
    });
  });

  it('Q10 dequeue ignores its request body', async () => {
    const first = await enqueue(s.api);
    const second = await enqueue(s.api);
    const claimed = expectStatus(await s.api('POST', '/queues/rollouts/dequeue', { limit: 5 }), 200);
    expect(Array.isArray(claimed)).toBe(false);
    expect(claimed.rollout_id).toBe(first.rollout_id);
    expect((await dequeue(s.api)).rollout_id).toBe(second.rollout_id);
  });

  it('Q11 dequeue is FIFO', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await enqueue(s.api, { input: i })).rollout_id);
    const out: string[] = [];
    for (let i = 0; i < 5; i++) out.push((await dequeue(s.api)).rollout_id);
    expect(out).toEqual(ids);
    expect(await dequeue(s.api)).toBeNull();
  });

  it('Q12 dequeue skips rollouts set to succeeded, failed or cancelled while queued', async () => {
    for (const status of ['succeeded', 'failed', 'cancelled']) {
      const { rollout_id } = await enqueue(s.api);
      await updateRollout(s.api, rollout_id, { status });
    }
    const live = await enqueue(s.api);
    expect((await dequeue(s.api)).rollout_id).toBe(live.rollout_id);
    expect(await dequeue(s.api)).toBeNull();
  });

  it('Q13 a dequeued rollout is not returned again unless re-queued', async () => {
    const a = await enqueue(s.api);
    expect((await dequeue(s.api)).rollout_id).toBe(a.rollout_id);
    expect(await dequeue(s.api)).toBeNull();
    const b = await enqueue(s.api);
    expect((await dequeue(s.api)).rollout_id).toBe(b.rollout_id);
    expect(await dequeue(s.api)).toBeNull();
  });

  it('Q14 requeuing a preparing or running rollout re-queues it for attempt 2', async () => {
    const preparing = await enqueue(s.api);
    await dequeue(s.api);
    const running = await enqueue(s.api);
    const claim = await dequeue(s.api);
    await addSpan(s.api, running.rollout_id, claim.attempt.attempt_id, 1);
    expect((await getRollout(s.api, running.rollout_id)).status).toBe('running');

    for (const rollout of [preparing, running]) {
      expect((await updateRollout(s.api, rollout.rollout_id, { status: 'requeuing' })).status).toBe('requeuing');
      const again = await dequeue(s.api);
      expect(again.rollout_id).toBe(rollout.rollout_id);
      expect(again.status).toBe('preparing');
      expect(again.attempt).toMatchObject({ sequence_id: 2, status: 'preparing' });
    }
  });

  it('Q15 a re-queue goes to the tail', async () => {
    const a = await enqueue(s.api);
    await dequeue(s.api);
    const b = await enqueue(s.api);
    await updateRollout(s.api, a.rollout_id, { status: 'requeuing' });
    expect((await dequeue(s.api)).rollout_id).toBe(b.rollout_id);
    expect((await dequeue(s.api)).rollout_id).toBe(a.rollout_id);
  });

  it('Q16 re-queueing works from a terminal status', async () => {
    const a = await enqueue(s.api);
    await dequeue(s.api);
    await updateRollout(s.api, a.rollout_id, { status: 'cancelled' });
    expect((await updateRollout(s.api, a.rollout_id, { status: 'queuing' })).status).toBe('queuing');
    const again = await dequeue(s.api);
    expect(again.rollout_id).toBe(a.rollout_id);
    expect(again.attempt.sequence_id).toBe(2);
  });

  it('Q17 a rollout is queued at most once', async () => {
    const started = await startRollout(s.api);
    await updateRollout(s.api, started.rollout_id, { status: 'queuing' });
    await updateRollout(s.api, started.rollout_id, { status: 'queuing' });
    expect((await dequeue(s.api)).rollout_id).toBe(started.rollout_id);
    expect(await dequeue(s.api)).toBeNull();
  });

  it('Q18 POST /rollouts starts a rollout with attempt 1 and does not queue it', async () => {
    const started = expectStatus(await s.api('POST', '/rollouts', { input: { q: 18 } }), 201);
    expect(started.rollout_id).toMatch(ROLLOUT_ID_RE);
    expect(started).toMatchObject({ input: { q: 18 }, status: 'preparing', end_time: null });
    expect(started.attempt).toMatchObject({ rollout_id: started.rollout_id, sequence_id: 1, status: 'preparing' });
    expect(started.attempt.attempt_id).toMatch(ATTEMPT_ID_RE);
    expect(started.attempt.start_time).toBe(started.start_time);
    expect(await dequeue(s.api)).toBeNull();
  });

  it('Q19 starting an attempt on a queued rollout removes it from the queue', async () => {
    const queued = await enqueue(s.api);
    const started = await startAttempt(s.api, queued.rollout_id);
    expect(started.status).toBe('preparing');
    expect((await getRollout(s.api, queued.rollout_id)).status).toBe('preparing');
    expect(await dequeue(s.api)).toBeNull();
  });

  it('Q20 a span on the latest attempt of a queued rollout makes it running and dequeues it', async () => {
    for (const status of ['queuing', 'requeuing']) {
      const started = await startRollout(s.api);
      await updateRollout(s.api, started.rollout_id, { status });
      await addSpan(s.api, started.rollout_id, started.attempt.attempt_id, 1);
      expect((await getRollout(s.api, started.rollout_id)).status).toBe('running');
      expect(await dequeue(s.api)).toBeNull();
    }
  });

  it('Q21 a rollout moved out of the queue and re-queued goes behind rollouts enqueued meanwhile', async () => {
    const a = await enqueue(s.api);
    await updateRollout(s.api, a.rollout_id, { status: 'running' });
    const b = await enqueue(s.api);
    await updateRollout(s.api, a.rollout_id, { status: 'queuing' });
    expect((await dequeue(s.api)).rollout_id).toBe(b.rollout_id);
    const second = await dequeue(s.api);
    expect(withoutAttempt(second)).toMatchObject({ rollout_id: a.rollout_id, status: 'preparing' });
    expect(await dequeue(s.api)).toBeNull();
  });

  it('Q7/Q9 the attempt created by dequeue is what the attempt reads return', async () => {
    const { rollout_id } = await enqueue(s.api);
    const claimed = await dequeue(s.api);
    expect(await listAttempts(s.api, rollout_id)).toEqual([claimed.attempt]);
    expect(await latestAttempt(s.api, rollout_id)).toEqual(claimed.attempt);
  });
});
