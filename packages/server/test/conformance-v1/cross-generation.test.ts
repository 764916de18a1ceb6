/**
 * One store, two generations (docs/protocol.md §1.1): a rollout written through either prefix is visible, claimable and
 * finishable through the other, with one state machine and one queue.
 */
import { describe, expect, it } from 'vitest';
import { engines } from '../helpers/http.js';
import {
  addSpan,
  dequeue,
  enqueue,
  expectStatus,
  getRollout,
  querySpans,
  updateAttempt,
  type Json,
} from '../conformance/fixtures.js';
import { addSpanB, dequeueMany, enqueueMany, getWorker, page, useSharedV1Server } from './helpers.js';

describe.each(engines)('cross-generation (%s)', (engine) => {
  const s = useSharedV1Server(engine);

  it('enqueue via A, claim via B for a worker, spans via A, read via B, finish via A, wait via B', async () => {
    const rollout = await enqueue(s.a, { input: { task: 'x' }, mode: 'train' });
    const rid = rollout.rollout_id;
    const wait = s.b('POST', '/waits/rollouts', { rollout_ids: [rid], timeout: 10 });

    const [claimed] = await dequeueMany(s.b, { limit: 1, worker_id: 'cross-worker' });
    expect(claimed).toMatchObject({ rollout_id: rid, status: 'preparing', input: { task: 'x' } });
    const aid = claimed.attempt.attempt_id;
    expect(claimed.attempt.worker_id).toBe('cross-worker');

    const span = await addSpan(s.a, rid, aid, 1, { name: 'from-a' });
    const spans = await page(s.b, '/spans', { rollout_id: rid, attempt_id: 'latest' });
    expect(spans).toMatchObject({ total: 1, items: [span] });
    const viaB = expectStatus(await s.b('GET', `/rollouts/${rid}`), 200);
    expect(viaB).toMatchObject({ status: 'running', attempt: { attempt_id: aid, status: 'running' } });
    expect(viaB).toEqual(await getRollout(s.a, rid));

    await updateAttempt(s.a, rid, aid, { status: 'succeeded' });
    const [finished] = expectStatus(await wait, 200);
    expect(finished).toMatchObject({ rollout_id: rid, status: 'succeeded' });
    expect(finished.end_time).not.toBeNull();
    expect(await getWorker(s.b, 'cross-worker')).toMatchObject({ status: 'idle', current_rollout_id: null });
  });

  it('enqueue via B, claim via A, spans via B, read via A; both see one queue in order', async () => {
    const [first, second] = await enqueueMany(s.b, [{ input: 1 }, { input: 2 }]);
    const claimed = await dequeue(s.a);
    expect(claimed.rollout_id).toBe(first.rollout_id);
    const aid = claimed.attempt.attempt_id;
    const span = await addSpanB(s.b, first.rollout_id, aid, 1);
    expect(await querySpans(s.a, first.rollout_id)).toEqual([span]);
    // A duplicate sent through A answers A's way (200 with the stored span), still stored once.
    expect(expectStatus(await s.a('POST', '/spans', span), 200)).toEqual(span);
    expect((await page(s.b, '/spans', { rollout_id: first.rollout_id })).total).toBe(1);

    expect((await dequeueMany(s.b)).map((r: Json) => r.rollout_id)).toEqual([second.rollout_id]);
    expect(await dequeue(s.a)).toBeNull();
    const listed = expectStatus(await s.a('GET', '/rollouts'), 200).map((r: Json) => r.rollout_id);
    expect(listed).toEqual(expect.arrayContaining([first.rollout_id, second.rollout_id]));
  });
});
