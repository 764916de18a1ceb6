/** Conformance G1–G7: rollout reads and search (docs/protocol.md §3.3, §4.5–4.7, §7a, §7h). */
import { describe, expect, it } from 'vitest';
import { engines } from '../helpers/http.js';
import {
  UNKNOWN_ROLLOUT_ID,
  addSpan,
  dequeue,
  enqueue,
  expectStatus,
  getRollout,
  latestAttempt,
  listRollouts,
  searchRollouts,
  startAttempt,
  startRollout,
  updateRollout,
  useServer,
  type Json,
} from './fixtures.js';

const ids = (rollouts: Json[]): string[] => rollouts.map((r) => r.rollout_id);

describe.each(engines)('rollout reads conformance (%s)', (engine) => {
  const s = useServer(engine);

  it('G1 GET /rollouts lists every rollout in creation order and ignores query parameters', async () => {
    const created = [await enqueue(s.api), await startRollout(s.api), await enqueue(s.api), await startRollout(s.api)];
    expect(ids(await listRollouts(s.api))).toEqual(ids(created));
    const filtered = expectStatus(await s.api('GET', '/rollouts?status=queuing&limit=1&offset=2&sort_by=x'), 200);
    expect(ids(filtered)).toEqual(ids(created));
  });

  it('G2 rollout reads carry the latest attempt, and no attempt key without attempts', async () => {
    const withAttempts = await startRollout(s.api);
    await startAttempt(s.api, withAttempts.rollout_id);
    await addSpan(s.api, withAttempts.rollout_id, withAttempts.attempt.attempt_id, 1); // attempt 1 changed last, attempt 2 is still the latest
    const latest = await latestAttempt(s.api, withAttempts.rollout_id);
    expect(latest.sequence_id).toBe(2);
    const bare = await enqueue(s.api);

    const reads: [string, Json[]][] = [
      ['GET /rollouts', await listRollouts(s.api)],
      ['POST /rollouts/search', await searchRollouts(s.api, {})],
      [
        'GET /rollouts/{id}',
        [await getRollout(s.api, withAttempts.rollout_id), await getRollout(s.api, bare.rollout_id)],
      ],
    ];
    for (const [what, rollouts] of reads) {
      const a = rollouts.find((r) => r.rollout_id === withAttempts.rollout_id);
      const b = rollouts.find((r) => r.rollout_id === bare.rollout_id);
      expect(a?.attempt, what).toEqual(latest);
      expect(b, what).toBeDefined();
      expect(Object.keys(b), what).not.toContain('attempt');
    }
  });

  it('G3 enqueue, rollout update and wait responses never carry attempt', async () => {
    const queued = await enqueue(s.api);
    expect(queued).not.toHaveProperty('attempt');
    const started = await startRollout(s.api);
    const updated = await updateRollout(s.api, started.rollout_id, { status: 'succeeded' });
    expect(updated).not.toHaveProperty('attempt');
    const waited = expectStatus(
      await s.api('POST', '/waits/rollouts', { rollout_ids: [started.rollout_id], timeout: 0 }),
      200,
    );
    expect(ids(waited)).toEqual([started.rollout_id]);
    expect(waited[0]).not.toHaveProperty('attempt');
  });

  it('G4 search filters by status and by rollout_ids, ANDed together', async () => {
    const queued = await enqueue(s.api);
    const startedA = await startRollout(s.api);
    const startedB = await startRollout(s.api);
    const stillQueued = await enqueue(s.api);
    await dequeue(s.api); // takes `queued` (FIFO): it becomes preparing too
    const preparing = [queued, startedA, startedB].map((r) => r.rollout_id);
    expect(ids(await searchRollouts(s.api, { status: ['preparing'] }))).toEqual(preparing);
    expect(ids(await searchRollouts(s.api, { status: ['queuing'] }))).toEqual([stillQueued.rollout_id]);
    const byId = await searchRollouts(s.api, { rollout_ids: [startedB.rollout_id, stillQueued.rollout_id] });
    expect(ids(byId)).toEqual([startedB.rollout_id, stillQueued.rollout_id]);
    const both = await searchRollouts(s.api, {
      status: ['preparing'],
      rollout_ids: [startedB.rollout_id, stillQueued.rollout_id],
    });
    expect(ids(both)).toEqual([startedB.rollout_id]);
    expect(both[0].attempt.sequence_id).toBe(1);
  });

  it('G5 an empty filter list matches nothing, {} matches all, unknown IDs are ignored', async () => {
    const a = await enqueue(s.api);
    const b = await startRollout(s.api);
    expect(await searchRollouts(s.api, { status: [] })).toEqual([]);
    expect(await searchRollouts(s.api, { rollout_ids: [] })).toEqual([]);
    expect(ids(await searchRollouts(s.api, {}))).toEqual([a.rollout_id, b.rollout_id]);
    expect(ids(await searchRollouts(s.api, { status: null, rollout_ids: null }))).toEqual([a.rollout_id, b.rollout_id]);
    const mixed = await searchRollouts(s.api, { rollout_ids: [UNKNOWN_ROLLOUT_ID, b.rollout_id] });
    expect(ids(mixed)).toEqual([b.rollout_id]);
  });

  it('G6 search with an invalid status or no body answers 422', async () => {
    await enqueue(s.api);
    const bad = await s.api('POST', '/rollouts/search', { status: ['bogus'] });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0].loc.slice(0, 2)).toEqual(['body', 'status']);
    const empty = await s.api('POST', '/rollouts/search');
    expect(empty.status).toBe(422);
    expect(empty.body.detail[0]).toMatchObject({ type: 'missing', loc: ['body'] });
  });

  it('G7 GET /rollouts/{unknown} answers 200 null', async () => {
    const res = await s.api('GET', `/rollouts/${UNKNOWN_ROLLOUT_ID}`);
    expect(res.status).toBe(200);
    expect(res.text.trim()).toBe('null');
  });
});
