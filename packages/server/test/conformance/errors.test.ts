/** Conformance E1–E17: error bodies, status precedence, health, complete responses (docs/protocol.md §2.1, §6). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { engines } from '../helpers/http.js';
import {
  ATTEMPT_KEYS,
  ROLLOUT_KEYS,
  UNKNOWN_ATTEMPT_ID,
  UNKNOWN_ROLLOUT_ID,
  addSpan,
  dequeue,
  enqueue,
  expectRecentTime,
  expectStatus,
  getRollout,
  latestAttempt,
  listAttempts,
  listRollouts,
  searchRollouts,
  startAttempt,
  startRollout,
  updateAttempt,
  useSharedServer,
  withServer,
  type Json,
} from './fixtures.js';

/** Named so the 500 body can be checked for the real class name, not a constant. */
class StoreExploded extends Error {
  override name = 'StoreExploded';
}

const detailEntry = (body: Json, loc: (string | number)[]): Json =>
  (body?.detail ?? []).find((d: Json) => JSON.stringify(d.loc) === JSON.stringify(loc));

const nullDetail = (field: string) => ({ detail: `${field} is invalid; it cannot be a null value.` });

describe.each(engines)('error conformance (%s)', (engine) => {
  const s = useSharedServer(engine);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('E1 enqueue without input answers the FastAPI-style 422', async () => {
    const res = await s.api('POST', '/queues/rollouts/enqueue', {});
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      detail: [{ type: 'missing', loc: ['body', 'input'], msg: 'Field required', input: {} }],
    });
  });

  it('E2 enqueue with no body answers 422 at ["body"] with input null', async () => {
    for (const headers of [{}, { 'content-type': 'application/json' }] as Record<string, string>[]) {
      const res = await s.api('POST', '/queues/rollouts/enqueue', undefined, headers);
      expect(res.status, JSON.stringify(headers)).toBe(422);
      expect(res.body.detail[0]).toMatchObject({ type: 'missing', loc: ['body'], input: null });
    }
  });

  it('E3 a body that is not valid JSON answers 422 json_invalid', async () => {
    const res = await s.api('POST', '/queues/rollouts/enqueue', '{"input": ', { 'content-type': 'application/json' });
    expect(res.status).toBe(422);
    expect(res.body.detail[0].type).toBe('json_invalid');
    expect(res.body.detail[0].loc[0]).toBe('body');
  });

  it('E4 a bad mode answers 422 literal_error listing the modes', async () => {
    const res = await s.api('POST', '/queues/rollouts/enqueue', { input: 1, mode: 'bad' });
    expect(res.status).toBe(422);
    expect(detailEntry(res.body, ['body', 'mode'])).toMatchObject({
      type: 'literal_error',
      ctx: { expected: "'train', 'val' or 'test'" },
    });
  });

  it('E5 max_attempts 0 answers 422 greater_than_equal', async () => {
    const res = await s.api('POST', '/queues/rollouts/enqueue', { input: 1, config: { max_attempts: 0 } });
    expect(res.status).toBe(422);
    expect(detailEntry(res.body, ['body', 'config', 'max_attempts'])).toMatchObject({
      type: 'greater_than_equal',
      ctx: { ge: 1 },
    });
  });

  it('E6 an unknown retry_condition entry answers 422', async () => {
    const before = (await listRollouts(s.api)).length;
    const res = await s.api('POST', '/queues/rollouts/enqueue', { input: 1, config: { retry_condition: ['oops'] } });
    expect(res.status).toBe(422);
    expect(res.body.detail[0].loc.slice(0, 3)).toEqual(['body', 'config', 'retry_condition']);
    expect(await listRollouts(s.api)).toHaveLength(before);
  });

  it('E7 null status or config on a rollout update answers 400 and changes nothing', async () => {
    const { rollout_id } = await enqueue(s.api, { input: 1, metadata: { keep: true } });
    const before = await getRollout(s.api, rollout_id);
    for (const field of ['status', 'config']) {
      const res = await s.api('POST', `/rollouts/${rollout_id}`, { metadata: { changed: true }, [field]: null });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(nullDetail(field));
    }
    expect(await getRollout(s.api, rollout_id)).toEqual(before);
  });

  it('E8 null on any attempt update field answers 400 naming it', async () => {
    const { rollout_id, attempt } = await startRollout(s.api);
    for (const field of ['status', 'worker_id', 'last_heartbeat_time', 'metadata']) {
      const res = await s.api('POST', `/rollouts/${rollout_id}/attempts/${attempt.attempt_id}`, { [field]: null });
      expect(res.status, field).toBe(400);
      expect(res.body).toEqual(nullDetail(field));
    }
    // Several nulls: the first in §6.3 order is reported.
    const res = await s.api('POST', `/rollouts/${rollout_id}/attempts/latest`, { metadata: null, worker_id: null });
    expect(res.body).toEqual(nullDetail('worker_id'));
    expect(await latestAttempt(s.api, rollout_id)).toEqual(attempt);
  });

  it('E9 updating an unknown rollout answers 404', async () => {
    const res = await s.api('POST', `/rollouts/${UNKNOWN_ROLLOUT_ID}`, { status: 'cancelled' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: `Rollout ${UNKNOWN_ROLLOUT_ID} not found` });
  });

  it('E10 starting an attempt on an unknown rollout answers 404', async () => {
    const res = await s.api('POST', `/rollouts/${UNKNOWN_ROLLOUT_ID}/attempts`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: `Rollout ${UNKNOWN_ROLLOUT_ID} not found` });
  });

  it('E11 attempt updates on unknown rollouts or attempts answer 404', async () => {
    const unknownRollout = await s.api('POST', `/rollouts/${UNKNOWN_ROLLOUT_ID}/attempts/latest`, { status: 'failed' });
    expect([unknownRollout.status, unknownRollout.body]).toEqual([
      404,
      { detail: `Rollout ${UNKNOWN_ROLLOUT_ID} not found` },
    ]);
    const { rollout_id } = await startRollout(s.api);
    const unknownAttempt = await s.api('POST', `/rollouts/${rollout_id}/attempts/${UNKNOWN_ATTEMPT_ID}`, {
      worker_id: 'w',
    });
    expect([unknownAttempt.status, unknownAttempt.body]).toEqual([
      404,
      { detail: `Attempt ${UNKNOWN_ATTEMPT_ID} not found` },
    ]);
    const queued = await enqueue(s.api);
    const noAttempts = await s.api('POST', `/rollouts/${queued.rollout_id}/attempts/latest`, { worker_id: 'w' });
    expect([noAttempts.status, noAttempts.body]).toEqual([404, { detail: 'Attempt latest not found' }]);
  });

  it('E12 on an unknown rollout, a null status answers 400 and a bogus status 422', async () => {
    const nulled = await s.api('POST', `/rollouts/${UNKNOWN_ROLLOUT_ID}`, { status: null });
    expect([nulled.status, nulled.body]).toEqual([400, nullDetail('status')]);
    const bogus = await s.api('POST', `/rollouts/${UNKNOWN_ROLLOUT_ID}`, { status: 'bogus' });
    expect(bogus.status).toBe(422);
    expect(bogus.body.detail[0].loc.slice(0, 2)).toEqual(['body', 'status']);
  });

  it('E13 unknown paths answer 404 and wrong methods 405, as JSON', async () => {
    for (const path of ['/no-such-thing', '/rollouts/ro-x/nothing', '/health/']) {
      const res = await s.api('GET', path);
      expect([res.status, res.body], path).toEqual([404, { detail: 'Not Found' }]);
    }
    const wrong = await s.api('DELETE', '/rollouts');
    expect([wrong.status, wrong.body]).toEqual([405, { detail: 'Method Not Allowed' }]);
    expect(wrong.headers.get('allow')).toMatch(/GET/);
    const put = await s.api('PUT', '/queues/rollouts/enqueue', { input: 1 });
    expect([put.status, put.body]).toEqual([405, { detail: 'Method Not Allowed' }]);
  });

  it('E14 an injected store fault answers 500 without a traceback', async () => {
    vi.spyOn(s.server.app.store, 'listRolloutsJson').mockImplementation(() => {
      throw new StoreExploded('boom');
    });
    const res = await s.api('GET', '/rollouts');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ detail: 'Internal server error', error_type: 'StoreExploded' });
  });

  it('E14 in debug mode the 500 body also carries the traceback', async () => {
    await withServer(
      engine,
      async (api, server) => {
        vi.spyOn(server.app.store, 'listRolloutsJson').mockImplementation(() => {
          throw new StoreExploded('boom');
        });
        const res = await api('GET', '/rollouts');
        expect(res.status).toBe(500);
        expect(res.body).toMatchObject({ detail: 'Internal server error', error_type: 'StoreExploded' });
        expect(typeof res.body.traceback).toBe('string');
        expect(res.body.traceback).toContain('boom');
      },
      { debug: true },
    );
  });

  it('E15 /spans/next without attempt_id answers 422', async () => {
    const res = await s.api('POST', '/spans/next', { rollout_id: UNKNOWN_ROLLOUT_ID });
    expect(res.status).toBe(422);
    expect(detailEntry(res.body, ['body', 'attempt_id'])).toMatchObject({ type: 'missing' });
  });

  it('E16 GET /health answers {"status":"ok"}', async () => {
    const res = await s.api('GET', '/health');
    expect([res.status, res.body]).toEqual([200, { status: 'ok' }]);
  });

  it('E17 every response object has all model keys with explicit nulls and server-clock timestamps', async () => {
    const rolloutKeys = [...ROLLOUT_KEYS].sort();
    const attemptKeys = [...ATTEMPT_KEYS].sort();
    const checkAttempt = (a: Json) => {
      expect(Object.keys(a).sort()).toEqual(attemptKeys);
      expectRecentTime(a.start_time);
    };
    const checkRollout = (r: Json, attempt: 'with' | 'without' | 'any') => {
      const keys = Object.keys(r).filter((k) => k !== 'attempt');
      expect(keys.sort()).toEqual(rolloutKeys);
      expect(Object.keys(r.config).sort()).toEqual([
        'max_attempts',
        'retry_condition',
        'timeout_seconds',
        'unresponsive_seconds',
      ]);
      expectRecentTime(r.start_time);
      if (attempt === 'with' || (attempt === 'any' && 'attempt' in r)) checkAttempt(r.attempt);
      if (attempt === 'without') expect(r).not.toHaveProperty('attempt');
    };
    checkRollout(await enqueue(s.api, { input: 'a' }), 'without');
    const claimed = await dequeue(s.api);
    checkRollout(claimed, 'with');
    expect(claimed.attempt.end_time).toBeNull();
    const started = await startRollout(s.api, { input: 'b' });
    checkRollout(started, 'with');
    checkRollout(await startAttempt(s.api, started.rollout_id), 'with');
    await addSpan(s.api, started.rollout_id, started.attempt.attempt_id, 1);
    const finished = await updateAttempt(s.api, started.rollout_id, 'latest', { status: 'succeeded' });
    checkAttempt(finished);
    expectRecentTime(finished.end_time);
    for (const a of await listAttempts(s.api, started.rollout_id)) checkAttempt(a);
    const [heartbeat] = await listAttempts(s.api, started.rollout_id);
    expectRecentTime(heartbeat.last_heartbeat_time);
    for (const r of await listRollouts(s.api)) checkRollout(r, 'any');
    for (const r of await searchRollouts(s.api, {})) checkRollout(r, 'any');
    const done = await getRollout(s.api, started.rollout_id);
    checkRollout(done, 'with');
    expectRecentTime(done.end_time);

    const snapshot = expectStatus(await s.api('POST', '/resources', {}), 201);
    expect(Object.keys(snapshot).sort()).toEqual([
      'create_time',
      'resources',
      'resources_id',
      'update_time',
      'version',
    ]);
    expectRecentTime(snapshot.create_time);
    expectRecentTime(snapshot.update_time);
  });
});
