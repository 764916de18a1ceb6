/**
 * Conformance L1–L29: attempts, status propagation from the latest attempt, rollout updates and time bookkeeping
 * (docs/protocol.md §4.8–4.12, §5.1–5.3, §5.6). The watchdog cases (L30–L38) live in watchdog.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { engines, sleep } from '../helpers/http.js';
import {
  ATTEMPT_ID_RE,
  DEFAULT_CONFIG,
  addSpan,
  dequeue,
  enqueue,
  expectRecentTime,
  expectStatus,
  getRollout,
  latestAttempt,
  listAttempts,
  startAttempt,
  startRollout,
  updateAttempt,
  updateRollout,
  useSharedServer,
  withoutAttempt,
  type Api,
  type Json,
} from './fixtures.js';

const retrying = (max_attempts: number, retry_condition: string[]) => ({
  input: null,
  config: { max_attempts, retry_condition },
});

/** A rollout whose attempt 1 has posted a span: both are `running`. */
async function runningRollout(api: Api, body: Json = { input: null }): Promise<Json> {
  const started = await startRollout(api, body);
  await addSpan(api, started.rollout_id, started.attempt.attempt_id, 1);
  return started;
}

describe.each(engines)('lifecycle conformance (%s)', (engine) => {
  const s = useSharedServer(engine);

  it('L1 starting an attempt answers 201 with the new attempt, sequence = count + 1', async () => {
    const started = await startRollout(s.api);
    const res = expectStatus(await s.api('POST', `/rollouts/${started.rollout_id}/attempts`), 201);
    expect(res).toMatchObject({ rollout_id: started.rollout_id, status: 'preparing' });
    expect(res.attempt).toMatchObject({ rollout_id: started.rollout_id, sequence_id: 2, status: 'preparing' });
    expect(res.attempt.attempt_id).toMatch(ATTEMPT_ID_RE);
    expect(res.attempt.attempt_id).not.toBe(started.attempt.attempt_id);
  });

  it('L2 attempts on a never-dequeued rollout count 1, 2, 3', async () => {
    const { rollout_id } = await enqueue(s.api);
    const sequences = [];
    for (let i = 0; i < 3; i++) sequences.push((await startAttempt(s.api, rollout_id)).attempt.sequence_id);
    expect(sequences).toEqual([1, 2, 3]);
  });

  it('L3 starting an attempt ignores max_attempts', async () => {
    const started = await startRollout(s.api, retrying(2, []));
    await startAttempt(s.api, started.rollout_id);
    expect((await startAttempt(s.api, started.rollout_id)).attempt.sequence_id).toBe(3);
  });

  it('L4 starting an attempt on a running or terminal rollout makes it preparing with end_time null', async () => {
    const running = await runningRollout(s.api);
    expect(await startAttempt(s.api, running.rollout_id)).toMatchObject({ status: 'preparing', end_time: null });
    for (const status of ['succeeded', 'failed', 'cancelled']) {
      const started = await startRollout(s.api);
      expect((await updateRollout(s.api, started.rollout_id, { status })).end_time).not.toBeNull();
      expect(await startAttempt(s.api, started.rollout_id)).toMatchObject({ status: 'preparing', end_time: null });
      expect(await getRollout(s.api, started.rollout_id)).toMatchObject({ status: 'preparing', end_time: null });
    }
  });

  it('L5 attempts are listed by ascending sequence_id; an unknown rollout has none', async () => {
    const started = await startRollout(s.api);
    const second = await startAttempt(s.api, started.rollout_id);
    const third = await startAttempt(s.api, started.rollout_id);
    const attempts = await listAttempts(s.api, started.rollout_id);
    expect(attempts.map((a) => a.sequence_id)).toEqual([1, 2, 3]);
    expect(attempts.map((a) => a.attempt_id)).toEqual([started, second, third].map((r) => r.attempt.attempt_id));
    expect(await listAttempts(s.api, 'ro-000000000000')).toEqual([]);
  });

  it('L6 the latest attempt is the highest sequence_id, or null', async () => {
    const started = await startRollout(s.api);
    await startAttempt(s.api, started.rollout_id);
    const third = await startAttempt(s.api, started.rollout_id);
    expect(await latestAttempt(s.api, started.rollout_id)).toEqual(third.attempt);
    const queued = await enqueue(s.api);
    expect(await latestAttempt(s.api, queued.rollout_id)).toBeNull();
    expect(await latestAttempt(s.api, 'ro-000000000000')).toBeNull();
  });

  it('L7 an attempt update sets status, worker_id, heartbeat and metadata together', async () => {
    const { rollout_id, attempt } = await startRollout(s.api);
    const patch = {
      status: 'running',
      worker_id: 'worker-7',
      last_heartbeat_time: 1700000123.25,
      metadata: { k: [1] },
    };
    const updated = await updateAttempt(s.api, rollout_id, attempt.attempt_id, patch);
    expect(updated).toMatchObject({ ...patch, attempt_id: attempt.attempt_id, sequence_id: 1 });
    expect(await latestAttempt(s.api, rollout_id)).toEqual(updated);
    const cleared = await updateAttempt(s.api, rollout_id, attempt.attempt_id, { worker_id: '', metadata: {} });
    expect(cleared).toMatchObject({ worker_id: '', metadata: {}, status: 'running' });
  });

  it('L8 an attempt update addressed to latest changes the highest-sequence attempt', async () => {
    const started = await startRollout(s.api);
    const second = await startAttempt(s.api, started.rollout_id);
    const updated = await updateAttempt(s.api, started.rollout_id, 'latest', { worker_id: 'w-latest' });
    expect(updated).toMatchObject({ attempt_id: second.attempt.attempt_id, worker_id: 'w-latest' });
    const [first] = await listAttempts(s.api, started.rollout_id);
    expect(first.worker_id).toBeNull();
  });

  it('L9 attempt end_time is set by succeeded and failed only', async () => {
    for (const status of ['succeeded', 'failed', 'running', 'timeout', 'unresponsive']) {
      const { rollout_id, attempt } = await startRollout(s.api);
      const updated = await updateAttempt(s.api, rollout_id, attempt.attempt_id, { status });
      if (status === 'succeeded' || status === 'failed') expectRecentTime(updated.end_time);
      else expect(updated.end_time, status).toBeNull();
    }
  });

  it('L10 latest attempt succeeded makes the rollout succeeded', async () => {
    const { rollout_id, attempt } = await runningRollout(s.api);
    const done = await updateAttempt(s.api, rollout_id, attempt.attempt_id, { status: 'succeeded' });
    const rollout = await getRollout(s.api, rollout_id);
    expect(rollout.status).toBe('succeeded');
    expect(rollout.end_time).toBeGreaterThanOrEqual(done.end_time);
  });

  it('L11 latest attempt failed without retry makes the rollout failed', async () => {
    const { rollout_id, attempt } = await runningRollout(s.api);
    await updateAttempt(s.api, rollout_id, attempt.attempt_id, { status: 'failed' });
    const rollout = await getRollout(s.api, rollout_id);
    expect(rollout.status).toBe('failed');
    expectRecentTime(rollout.end_time);
  });

  it('L12 a retryable failure re-queues the rollout and the next dequeue creates attempt 2', async () => {
    const { rollout_id } = await enqueue(s.api, retrying(3, ['failed']));
    const claim = await dequeue(s.api);
    await updateAttempt(s.api, rollout_id, claim.attempt.attempt_id, { status: 'failed' });
    expect(await getRollout(s.api, rollout_id)).toMatchObject({ status: 'requeuing', end_time: null });
    const retry = await dequeue(s.api);
    expect(retry).toMatchObject({ rollout_id, status: 'preparing' });
    expect(retry.attempt).toMatchObject({ sequence_id: 2, status: 'preparing' });
  });

  it('L13 a failure of the last allowed attempt is final', async () => {
    const { rollout_id } = await enqueue(s.api, retrying(2, ['failed']));
    const first = await dequeue(s.api);
    await updateAttempt(s.api, rollout_id, first.attempt.attempt_id, { status: 'failed' });
    const second = await dequeue(s.api);
    expect(second.attempt.sequence_id).toBe(2);
    await updateAttempt(s.api, rollout_id, second.attempt.attempt_id, { status: 'failed' });
    expect((await getRollout(s.api, rollout_id)).status).toBe('failed');
    expect(await dequeue(s.api)).toBeNull();
  });

  it('L14 a status not in retry_condition is final', async () => {
    const { rollout_id, attempt } = await startRollout(s.api, retrying(3, ['failed']));
    await updateAttempt(s.api, rollout_id, attempt.attempt_id, { status: 'timeout' });
    expect((await getRollout(s.api, rollout_id)).status).toBe('failed');
    expect(await dequeue(s.api)).toBeNull();
  });

  it('L15 timeout and unresponsive trigger a retry when listed and within budget', async () => {
    const { rollout_id } = await enqueue(s.api, retrying(3, ['timeout', 'unresponsive']));
    for (const [status, nextSequence] of [
      ['timeout', 2],
      ['unresponsive', 3],
    ] as const) {
      const claim = await dequeue(s.api);
      await updateAttempt(s.api, rollout_id, claim.attempt.attempt_id, { status });
      expect(await getRollout(s.api, rollout_id)).toMatchObject({ status: 'requeuing', end_time: null });
      expect((await latestAttempt(s.api, rollout_id)).sequence_id).toBe(nextSequence - 1);
    }
    expect((await dequeue(s.api)).attempt.sequence_id).toBe(3);
  });

  it('L16 finishing an older attempt changes nothing on the rollout', async () => {
    for (const status of ['succeeded', 'failed']) {
      const started = await startRollout(s.api, retrying(3, ['failed']));
      await startAttempt(s.api, started.rollout_id);
      await updateAttempt(s.api, started.rollout_id, started.attempt.attempt_id, { status });
      expect(await getRollout(s.api, started.rollout_id)).toMatchObject({ status: 'preparing', end_time: null });
      expect(await dequeue(s.api)).toBeNull();
    }
  });

  it('L17 an attempt update without status never changes the rollout', async () => {
    const { rollout_id, attempt } = await runningRollout(s.api);
    const cancelled = await updateRollout(s.api, rollout_id, { status: 'cancelled' });
    for (const patch of [{ metadata: { note: 1 } }, { worker_id: 'w' }, { last_heartbeat_time: 1700000000.5 }]) {
      await updateAttempt(s.api, rollout_id, attempt.attempt_id, patch);
      expect(withoutAttempt(await getRollout(s.api, rollout_id))).toEqual(cancelled);
    }
  });

  it('L18 latest attempt running or preparing drives the rollout status', async () => {
    const { rollout_id, attempt } = await startRollout(s.api);
    await updateAttempt(s.api, rollout_id, attempt.attempt_id, { status: 'running' });
    expect((await getRollout(s.api, rollout_id)).status).toBe('running');
    await updateAttempt(s.api, rollout_id, attempt.attempt_id, { status: 'preparing' });
    expect((await getRollout(s.api, rollout_id)).status).toBe('preparing');
  });

  it('L19 a latest-attempt status report overrides a cancelled rollout', async () => {
    const { rollout_id, attempt } = await runningRollout(s.api);
    await updateRollout(s.api, rollout_id, { status: 'cancelled' });
    await updateAttempt(s.api, rollout_id, attempt.attempt_id, { status: 'succeeded' });
    expect((await getRollout(s.api, rollout_id)).status).toBe('succeeded');
  });

  it('L20 an empty rollout update is a no-op and unsent keys are preserved', async () => {
    const rollout = await enqueue(s.api, { input: { a: 1 }, mode: 'train', resources_id: 'r', metadata: { m: 1 } });
    expect(await updateRollout(s.api, rollout.rollout_id, {})).toEqual(rollout);
    const updated = await updateRollout(s.api, rollout.rollout_id, { metadata: { m: 2 } });
    expect(updated).toEqual({ ...rollout, metadata: { m: 2 } });
  });

  it('L21 a rollout update with null clears mode, resources_id, input or metadata', async () => {
    for (const field of ['mode', 'resources_id', 'input', 'metadata']) {
      const rollout = await enqueue(s.api, { input: { a: 1 }, mode: 'test', resources_id: 'r', metadata: { m: 1 } });
      const updated = await updateRollout(s.api, rollout.rollout_id, { [field]: null });
      expect(updated).toEqual({ ...rollout, [field]: null });
      expect(await getRollout(s.api, rollout.rollout_id)).toEqual(updated);
    }
  });

  it('L22 metadata and config are replaced whole', async () => {
    const full = { timeout_seconds: 30, unresponsive_seconds: 20, max_attempts: 4, retry_condition: ['failed'] };
    const rollout = await enqueue(s.api, { input: 1, metadata: { a: 1, b: 2 }, config: full });
    const updated = await updateRollout(s.api, rollout.rollout_id, { metadata: { c: 3 }, config: { max_attempts: 2 } });
    expect(updated.metadata).toEqual({ c: 3 });
    expect(updated.config).toEqual({ ...DEFAULT_CONFIG, max_attempts: 2 });
  });

  it('L23 one rollout update can change six fields together', async () => {
    const rollout = await enqueue(s.api, { input: 1 });
    const patch = {
      input: { new: true },
      mode: 'val',
      resources_id: 'rs-other',
      status: 'running',
      config: { timeout_seconds: 100, unresponsive_seconds: null, max_attempts: 5, retry_condition: ['timeout'] },
      metadata: { x: 'y' },
    };
    const updated = await updateRollout(s.api, rollout.rollout_id, patch);
    expect(updated).toEqual({ ...rollout, ...patch, end_time: null });
    expect(await getRollout(s.api, rollout.rollout_id)).toEqual(updated);
  });

  it('L24 a terminal status sets end_time to now, again on every terminal update', async () => {
    const rollout = await enqueue(s.api);
    const first = await updateRollout(s.api, rollout.rollout_id, { status: 'succeeded' });
    expectRecentTime(first.end_time, 2);
    await sleep(30);
    const second = await updateRollout(s.api, rollout.rollout_id, { status: 'failed' });
    expect(second.end_time).toBeGreaterThan(first.end_time);
    expectRecentTime(second.end_time, 2);
  });

  it('L25 setting a rollout succeeded leaves its running attempt running', async () => {
    const { rollout_id, attempt } = await runningRollout(s.api);
    await updateRollout(s.api, rollout_id, { status: 'succeeded' });
    expect(await latestAttempt(s.api, rollout_id)).toMatchObject({
      attempt_id: attempt.attempt_id,
      status: 'running',
      end_time: null,
    });
  });

  it('L26 any non-terminal rollout status clears end_time', async () => {
    const { rollout_id } = await startRollout(s.api);
    for (const status of ['queuing', 'requeuing', 'preparing', 'running']) {
      expect((await updateRollout(s.api, rollout_id, { status: 'failed' })).end_time).not.toBeNull();
      expect(await updateRollout(s.api, rollout_id, { status })).toMatchObject({ status, end_time: null });
      expect((await getRollout(s.api, rollout_id)).end_time).toBeNull();
    }
  });

  it('L27 a rollout keeps its start_time across attempts and re-queues', async () => {
    const rollout = await enqueue(s.api, retrying(3, ['failed']));
    const times = [rollout.start_time];
    await sleep(20);
    const claim = await dequeue(s.api);
    times.push(claim.start_time);
    await updateAttempt(s.api, rollout.rollout_id, claim.attempt.attempt_id, { status: 'failed' });
    times.push((await dequeue(s.api)).start_time);
    times.push((await startAttempt(s.api, rollout.rollout_id)).start_time);
    times.push((await updateRollout(s.api, rollout.rollout_id, { status: 'queuing' })).start_time);
    times.push((await getRollout(s.api, rollout.rollout_id)).start_time);
    expect(new Set(times)).toEqual(new Set([rollout.start_time]));
  });

  it('L28 full lifecycle: enqueue, dequeue, span, success', async () => {
    const { rollout_id, status } = await enqueue(s.api, { input: { task: 28 } });
    expect(status).toBe('queuing');
    const claim = await dequeue(s.api);
    expect([claim.status, claim.attempt.status]).toEqual(['preparing', 'preparing']);
    await addSpan(s.api, rollout_id, claim.attempt.attempt_id, 1);
    const running = await getRollout(s.api, rollout_id);
    expect([running.status, running.attempt.status]).toEqual(['running', 'running']);
    await updateAttempt(s.api, rollout_id, claim.attempt.attempt_id, { status: 'succeeded' });
    const done = await getRollout(s.api, rollout_id);
    expect([done.status, done.attempt.status]).toEqual(['succeeded', 'succeeded']);
    expectRecentTime(done.end_time);
    expectRecentTime(done.attempt.end_time);
  });

  it('L29 full retry lifecycle: failure, requeue, attempt 2, success', async () => {
    const { rollout_id } = await enqueue(s.api, retrying(2, ['failed']));
    const first = await dequeue(s.api);
    await addSpan(s.api, rollout_id, first.attempt.attempt_id, 1);
    expect((await getRollout(s.api, rollout_id)).status).toBe('running');
    await updateAttempt(s.api, rollout_id, first.attempt.attempt_id, { status: 'failed' });
    expect((await getRollout(s.api, rollout_id)).status).toBe('requeuing');
    const second = await dequeue(s.api);
    expect(second.attempt.sequence_id).toBe(2);
    await addSpan(s.api, rollout_id, second.attempt.attempt_id, 2);
    const running = await getRollout(s.api, rollout_id);
    expect([running.status, running.attempt.attempt_id]).toEqual(['running', second.attempt.attempt_id]);
    await updateAttempt(s.api, rollout_id, second.attempt.attempt_id, { status: 'succeeded' });
    expect(await getRollout(s.api, rollout_id)).toMatchObject({
      status: 'succeeded',
      attempt: { status: 'succeeded' },
    });
    expect((await listAttempts(s.api, rollout_id)).map((a) => a.status)).toEqual(['failed', 'succeeded']);
  });
});
