/**
 * Conformance B5, B6, B9, P12, P13 and the span endpoints of `/v1/agl`: duplicates answer `201 null`, OTel status
 * codes only, span pages with their filters, `attempt_id=latest`, and sequence ids (docs/protocol.md §8.1–§8.3, §7d).
 */
import { describe, expect, it } from 'vitest';
import { engines } from '../helpers/http.js';
import { expectStatus, randomHex, spanBody, type Json } from '../conformance/fixtures.js';
import { addSpanB, bothWays, enqueueN, ids, startAttemptB, startRolloutB, useSharedV1Server } from './helpers.js';

describe.each(engines)('span conformance on /v1/agl (%s)', (engine) => {
  const s = useSharedV1Server(engine);

  const started = async () => {
    const rollout = await startRolloutB(s.b);
    return { rid: rollout.rollout_id as string, aid: rollout.attempt.attempt_id as string };
  };

  it('POST /spans answers 201 with the span, unknown keys kept; the first span sets attempt and rollout running', async () => {
    const { rid, aid } = await started();
    const body = spanBody(rid, aid, 1, { extra_field: 42 });
    const stored = expectStatus(await s.b('POST', '/spans', body), 201);
    expect(stored).toEqual(body);
    const rollout = expectStatus(await s.b('GET', `/rollouts/${rid}`), 200);
    expect(rollout.status).toBe('running');
    expect(rollout.attempt.status).toBe('running');
  });

  it('B5 a duplicate span answers 201 null and is stored once, changing nothing', async () => {
    const { rid, aid } = await started();
    const first = spanBody(rid, aid, 1);
    expectStatus(await s.b('POST', '/spans', first), 201);
    const before = expectStatus(await s.b('GET', `/rollouts/${rid}/attempts/latest`), 200);
    const again = await s.b('POST', '/spans', { ...first, name: 'changed', sequence_id: 50 });
    expect(again.status).toBe(201);
    expect(again.text).toBe('null');
    const spans = await bothWays(s.b, '/spans', { rollout_id: rid });
    expect(spans.total).toBe(1);
    expect(spans.items[0]).toEqual(first);
    expect(expectStatus(await s.b('GET', `/rollouts/${rid}/attempts/latest`), 200)).toEqual(before);
    expect(expectStatus(await s.b('POST', '/spans/next', { rollout_id: rid, attempt_id: aid }), 200)).toEqual({
      sequence_id: 2,
    });
  });

  it('B6 span pages default to sequence_id ascending (arrival order differs)', async () => {
    const { rid, aid } = await started();
    for (const sequence of [3, 1, 2]) await addSpanB(s.b, rid, aid, sequence);
    const result = await bothWays(s.b, '/spans', { rollout_id: rid });
    expect(result.items.map((span: Json) => span.sequence_id)).toEqual([1, 2, 3]);
    const desc = await bothWays(s.b, '/spans', { rollout_id: rid, sort_order: 'desc' });
    expect(desc.items.map((span: Json) => span.sequence_id)).toEqual([3, 2, 1]);
  });

  it('B9 a status_code other than UNSET, OK or ERROR answers 422; /agl/v1 still takes any string', async () => {
    const { rid, aid } = await started();
    for (const code of ['UNSET', 'OK', 'ERROR']) {
      await addSpanB(s.b, rid, aid, 1, { status: { status_code: code, description: null } });
    }
    const bad = spanBody(rid, aid, 2, { status: { status_code: 'STATUS_CODE_OK', description: null } });
    const res = await s.b('POST', '/spans', bad);
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual([
      expect.objectContaining({
        type: 'literal_error',
        loc: ['body', 'status', 'status_code'],
        input: 'STATUS_CODE_OK',
      }),
    ]);
    expect((await bothWays(s.b, '/spans', { rollout_id: rid })).total).toBe(3);
    expect((await s.a('POST', '/spans', bad)).status).toBe(201);
  });

  it('a span for an unknown rollout or attempt answers 404 and stores nothing', async () => {
    const { rid } = await started();
    const noRollout = await s.b('POST', '/spans', spanBody('ro-000000000000', 'at-00000000', 1));
    expect(noRollout).toMatchObject({ status: 404, body: { detail: 'Rollout ro-000000000000 not found' } });
    const noAttempt = await s.b('POST', '/spans', spanBody(rid, 'at-00000000', 1));
    expect(noAttempt).toMatchObject({ status: 404, body: { detail: 'Attempt at-00000000 not found' } });
    expect((await bothWays(s.b, '/spans', { rollout_id: rid })).total).toBe(0);
  });

  it('GET /spans without rollout_id answers 422 at ["query","rollout_id"]; search without it at ["body","rollout_id"]', async () => {
    const get = await s.b('GET', '/spans');
    expect(get.status).toBe(422);
    expect(get.body.detail).toEqual([
      { type: 'missing', loc: ['query', 'rollout_id'], msg: 'Field required', input: null },
    ]);
    const post = await s.b('POST', '/spans/search', {});
    expect(post.status).toBe(422);
    expect(post.body.detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'rollout_id'] });
  });

  it('P12 span filters: exact trace_id, name_contains, and/or, never another rollout’s spans', async () => {
    const { rid, aid } = await started();
    const other = await started();
    const [t1, t2] = [randomHex(16), randomHex(16)];
    const a = await addSpanB(s.b, rid, aid, 1, { trace_id: t1, name: 'alpha-call' });
    const b = await addSpanB(s.b, rid, aid, 2, { trace_id: t2, name: 'beta-call' });
    const c = await addSpanB(s.b, rid, aid, 3, { trace_id: t1, name: 'gamma' });
    await addSpanB(s.b, other.rid, other.aid, 1, { trace_id: t1, name: 'alpha-call' });
    const spanIds = async (params: Json) =>
      ids(await bothWays(s.b, '/spans', { rollout_id: rid, ...params }), 'span_id');

    expect(await spanIds({ trace_id: t1 })).toEqual([a.span_id, c.span_id]);
    expect(await spanIds({ name_contains: 'call' })).toEqual([a.span_id, b.span_id]);
    expect(await spanIds({ trace_id: t1, name_contains: 'call' })).toEqual([a.span_id]);
    expect(await spanIds({ trace_id: t1, name_contains: 'call', filter_logic: 'or' })).toEqual([
      a.span_id,
      b.span_id,
      c.span_id,
    ]);
    // §7.1 #1: `or` with no optional filter filters nothing (the reference answers an empty page).
    expect(await spanIds({ filter_logic: 'or' })).toEqual([a.span_id, b.span_id, c.span_id]);
    expect(await spanIds({ span_id_contains: b.span_id.slice(2, 12), name: 'beta-call' })).toEqual([b.span_id]);
    expect(await spanIds({ trace_id_contains: t2.slice(3, 20) })).toEqual([b.span_id]);
  });

  it('P12 parent_id and span_id filters, exact and contains', async () => {
    const { rid, aid } = await started();
    const parent = await addSpanB(s.b, rid, aid, 1);
    const child = await addSpanB(s.b, rid, aid, 2, { parent_id: parent.span_id });
    const spanIds = async (params: Json) =>
      ids(await bothWays(s.b, '/spans', { rollout_id: rid, ...params }), 'span_id');
    expect(await spanIds({ parent_id: parent.span_id })).toEqual([child.span_id]);
    expect(await spanIds({ parent_id_contains: parent.span_id.slice(1, 9) })).toEqual([child.span_id]);
    expect(await spanIds({ span_id: parent.span_id })).toEqual([parent.span_id]);
  });

  it('P13 span filters apply before pagination: total counts the matches', async () => {
    const { rid, aid } = await started();
    for (let i = 1; i <= 5; i++) await addSpanB(s.b, rid, aid, i, { name: i % 2 ? 'odd' : 'even' });
    const result = await bothWays(s.b, '/spans', { rollout_id: rid, name: 'odd', limit: 2, offset: 1 });
    expect(result).toMatchObject({ limit: 2, offset: 1, total: 3 });
    expect(result.items.map((span: Json) => span.sequence_id)).toEqual([3, 5]);
  });

  it('attempt_id filters by attempt; latest is the newest attempt (empty right after a retry starts)', async () => {
    const { rid, aid } = await started();
    await addSpanB(s.b, rid, aid, 1);
    await addSpanB(s.b, rid, aid, 2);
    const retry = await startAttemptB(s.b, rid);
    const count = async (params: Json) => (await bothWays(s.b, '/spans', { rollout_id: rid, ...params })).total;
    expect(await count({ attempt_id: 'latest' })).toBe(0);
    await addSpanB(s.b, rid, retry.attempt.attempt_id, 3);
    expect(await count({})).toBe(3);
    expect(await count({ attempt_id: aid })).toBe(2);
    expect(await count({ attempt_id: 'latest' })).toBe(1);
    expect(await count({ attempt_id: 'at-00000000' })).toBe(0);
  });

  it('an unknown rollout, or latest on a rollout without attempts, gives an empty page', async () => {
    const [queued] = await enqueueN(s.b, 1);
    for (const params of [{ rollout_id: 'ro-000000000000' }, { rollout_id: queued.rollout_id, attempt_id: 'latest' }]) {
      expect(await bothWays(s.b, '/spans', params)).toEqual({ items: [], limit: -1, offset: 0, total: 0 });
    }
  });

  it('P8 spans by parent_id put null first ascending and last descending', async () => {
    const { rid, aid } = await started();
    const b = await addSpanB(s.b, rid, aid, 1, { parent_id: 'p-b' });
    const none = await addSpanB(s.b, rid, aid, 2, { parent_id: null });
    const a = await addSpanB(s.b, rid, aid, 3, { parent_id: 'p-a' });
    const order = async (sort_order: string) =>
      ids(await bothWays(s.b, '/spans', { rollout_id: rid, sort_by: 'parent_id', sort_order }), 'span_id');
    expect(await order('asc')).toEqual([none.span_id, a.span_id, b.span_id]);
    expect(await order('desc')).toEqual([b.span_id, a.span_id, none.span_id]);
  });

  it('POST /spans/next counts per rollout, shared with spans and with /agl/v1', async () => {
    const { rid, aid } = await started();
    const next = async (api = s.b) =>
      expectStatus(await api('POST', '/spans/next', { rollout_id: rid, attempt_id: aid }), 200).sequence_id;
    expect(await next()).toBe(1);
    await addSpanB(s.b, rid, aid, 10);
    expect(await next(s.a)).toBe(11);
    expect(await next()).toBe(12);
    const missing = await s.b('POST', '/spans/next', { rollout_id: rid });
    expect(missing.status).toBe(422);
    expect(missing.body.detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'attempt_id'] });
  });
});
