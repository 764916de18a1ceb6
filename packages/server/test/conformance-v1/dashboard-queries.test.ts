/**
 * What the v0.3.x dashboard asks and the reference refuses (docs/protocol.md §8.5): `mode_in` filtering, rollout sort
 * keys read from the latest attempt (`attempt_id`, `worker_id`, `last_heartbeat_time`), `duration` on rollouts and
 * spans, and `status_code` on spans — each with the null rules of §8.2.
 */
import { describe, expect, it } from 'vitest';
import { engines, sleep } from '../helpers/http.js';
import { type Json } from '../conformance/fixtures.js';
import {
  addSpanB,
  bothWays,
  enqueueMany,
  enqueueN,
  ids,
  startAttemptB,
  startRolloutB,
  updateAttemptB,
  useV1Server,
} from './helpers.js';

describe.each(engines)('dashboard queries on /v1/agl (%s)', (engine) => {
  const s = useV1Server(engine);
  const sorted = async (path: string, sort_by: string, sort_order: string, extra: Json = {}, key = 'rollout_id') =>
    ids(await bothWays(s.b, path, { sort_by, sort_order, ...extra }), key);

  it('mode_in keeps rollouts of the listed modes (a null mode never matches)', async () => {
    const [train, val, none, test] = await enqueueMany(s.b, [
      { input: 1, mode: 'train' },
      { input: 2, mode: 'val' },
      { input: 3 },
      { input: 4, mode: 'test' },
    ]);
    expect(ids(await bothWays(s.b, '/rollouts', { mode_in: ['train'] }))).toEqual([train.rollout_id]);
    expect(ids(await bothWays(s.b, '/rollouts', { mode_in: ['test', 'val'] }))).toEqual([
      val.rollout_id,
      test.rollout_id,
    ]);
    const orNone = await bothWays(s.b, '/rollouts', {
      mode_in: ['val'],
      rollout_id_in: [none.rollout_id],
      filter_logic: 'or',
    });
    expect(ids(orNone)).toEqual([val.rollout_id, none.rollout_id]);
    expect((await s.b('GET', '/rollouts?mode_in=bogus')).status).toBe(422);
  });

  it('the dashboard’s rollout list: limit 100, start_time desc, status_in and mode_in', async () => {
    const rollouts = await enqueueN(s.b, 3, { mode: 'train' });
    await enqueueN(s.b, 1, { mode: 'val' });
    const result = await bothWays(s.b, '/rollouts', {
      limit: 100,
      offset: 0,
      sort_by: 'start_time',
      sort_order: 'desc',
      status_in: ['queuing', 'running'],
      mode_in: ['train'],
    });
    expect(result).toMatchObject({ limit: 100, offset: 0, total: 3 });
    expect(result.items.map((r: Json) => r.start_time)).toEqual(
      rollouts.map((r) => r.start_time).sort((x, y) => y - x),
    );
  });

  it('rollouts sort by the latest attempt’s attempt_id and worker_id; no attempt sorts as ""', async () => {
    const [none] = await enqueueN(s.b, 1);
    const first = await startRolloutB(s.b, { input: 1, worker_id: 'w-b' });
    const second = await startRolloutB(s.b, { input: 2, worker_id: 'w-a' });
    // A retry without a worker: the latest attempt decides, not the first.
    const retried = await startAttemptB(s.b, first.rollout_id);
    const latestIds = new Map<string, string>([
      [first.rollout_id, retried.attempt.attempt_id],
      [second.rollout_id, second.attempt.attempt_id],
    ]);
    const byAttempt = [...latestIds.keys()].sort((x, y) => (latestIds.get(x)! < latestIds.get(y)! ? -1 : 1));
    expect(await sorted('/rollouts', 'attempt_id', 'asc')).toEqual([none.rollout_id, ...byAttempt]);
    expect(await sorted('/rollouts', 'attempt_id', 'desc')).toEqual([...byAttempt].reverse().concat(none.rollout_id));
    // first's latest attempt has no worker: it ties with `none` (""), and ties keep insertion order.
    expect(await sorted('/rollouts', 'worker_id', 'asc')).toEqual([
      none.rollout_id,
      first.rollout_id,
      second.rollout_id,
    ]);
    expect(await sorted('/rollouts', 'worker_id', 'desc')).toEqual([
      second.rollout_id,
      none.rollout_id,
      first.rollout_id,
    ]);
  });

  it('rollouts sort by the latest attempt’s last_heartbeat_time; none sorts as +∞', async () => {
    const early = await startRolloutB(s.b);
    const late = await startRolloutB(s.b);
    const [never] = await enqueueN(s.b, 1);
    await addSpanB(s.b, late.rollout_id, late.attempt.attempt_id, 1);
    await sleep(5);
    await addSpanB(s.b, early.rollout_id, early.attempt.attempt_id, 1);
    expect(await sorted('/rollouts', 'last_heartbeat_time', 'asc')).toEqual([
      late.rollout_id,
      early.rollout_id,
      never.rollout_id,
    ]);
    expect(await sorted('/rollouts', 'last_heartbeat_time', 'desc')).toEqual([
      never.rollout_id,
      early.rollout_id,
      late.rollout_id,
    ]);
  });

  it('rollouts sort by duration: the latest attempt’s run time; unfinished sorts as 0', async () => {
    const slow = await startRolloutB(s.b);
    const quick = await startRolloutB(s.b);
    const [queued] = await enqueueN(s.b, 1);
    await sleep(5);
    await updateAttemptB(s.b, quick.rollout_id, 'latest', { status: 'succeeded' });
    await sleep(60);
    await updateAttemptB(s.b, slow.rollout_id, 'latest', { status: 'failed' });
    expect(await sorted('/rollouts', 'duration', 'asc')).toEqual([
      queued.rollout_id,
      quick.rollout_id,
      slow.rollout_id,
    ]);
    expect(await sorted('/rollouts', 'duration', 'desc')).toEqual([
      slow.rollout_id,
      quick.rollout_id,
      queued.rollout_id,
    ]);
  });

  it('spans sort by status.status_code and by duration (no times sorts as 0)', async () => {
    const started = await startRolloutB(s.b);
    const [rid, aid] = [started.rollout_id, started.attempt.attempt_id];
    const ok = await addSpanB(s.b, rid, aid, 1, { status: { status_code: 'OK' }, start_time: 10, end_time: 15 });
    const unset = await addSpanB(s.b, rid, aid, 2, { status: { status_code: 'UNSET' }, start_time: 10, end_time: 11 });
    const error = await addSpanB(s.b, rid, aid, 3, {
      status: { status_code: 'ERROR' },
      start_time: null,
      end_time: null,
    });
    const spans = (sort_by: string, sort_order: string) =>
      sorted('/spans', sort_by, sort_order, { rollout_id: rid }, 'span_id');
    expect(await spans('status_code', 'asc')).toEqual([error.span_id, ok.span_id, unset.span_id]);
    expect(await spans('status_code', 'desc')).toEqual([unset.span_id, ok.span_id, error.span_id]);
    expect(await spans('duration', 'asc')).toEqual([error.span_id, unset.span_id, ok.span_id]);
    expect(await spans('duration', 'desc')).toEqual([ok.span_id, unset.span_id, error.span_id]);
  });

  it('the dashboard’s other lists: attempts by sequence_id desc, spans by start_time desc with an or search', async () => {
    const started = await startRolloutB(s.b);
    const rid = started.rollout_id;
    await startAttemptB(s.b, rid);
    const attempts = await bothWays(s.b, `/rollouts/${rid}/attempts`, {
      limit: 100,
      sort_by: 'sequence_id',
      sort_order: 'desc',
    });
    expect(attempts.items.map((a: Json) => a.sequence_id)).toEqual([2, 1]);

    const aid = started.attempt.attempt_id;
    const match = await addSpanB(s.b, rid, aid, 1, { name: 'needle', start_time: 5 });
    const later = await addSpanB(s.b, rid, aid, 2, { start_time: 9 });
    await addSpanB(s.b, rid, aid, 3, { start_time: 7 });
    const term = later.span_id.slice(0, 6);
    const result = await bothWays(s.b, '/spans', {
      rollout_id: rid,
      attempt_id: aid,
      limit: 100,
      sort_by: 'start_time',
      sort_order: 'desc',
      trace_id_contains: 'needle',
      span_id_contains: term,
      name_contains: 'needle',
      filter_logic: 'or',
    });
    expect(ids(result, 'span_id')).toEqual([later.span_id, match.span_id]);
  });
});
