/**
 * Conformance S1–S24 (docs/behaviours.md, section S): adding, deduplicating, counting and reading spans over real
 * HTTP. Every test works on its own rollouts (started with `POST /rollouts`, never dequeued), so one server per
 * engine is shared by the whole block.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startServer, type TestServer } from '../helpers/http.js';
import { randomHex as hex, spanBody } from './fixtures.js';

const nowSeconds = () => Date.now() / 1000;

describe.each(engines)('spans conformance (%s)', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(engine);
  });
  afterAll(async () => {
    await server.close();
  });
  const api = (method: string, path: string, body?: unknown) => server.api(method, path, body);

  /** A rollout started now: rollout and attempt 1 both `preparing` (docs/protocol.md §4.4). */
  async function started(): Promise<{ rid: string; aid: string }> {
    const res = await api('POST', '/rollouts', { input: { task: 'spans' } });
    expect(res.status).toBe(201);
    return { rid: res.body.rollout_id, aid: res.body.attempt.attempt_id };
  }
  const addSpan = (body: unknown) => api('POST', '/spans', body);
  const next = async (rid: string, aid: string) => {
    const res = await api('POST', '/spans/next', { rollout_id: rid, attempt_id: aid });
    expect(res.status).toBe(200);
    return res.body.sequence_id as number;
  };
  const latestAttempt = async (rid: string) => (await api('GET', `/rollouts/${rid}/attempts/latest`)).body;
  const rollout = async (rid: string) => (await api('GET', `/rollouts/${rid}`)).body;
  const listSpans = async (query: string) => {
    const res = await api('GET', `/spans?${query}`);
    expect(res.status).toBe(200);
    return res.body as Array<Record<string, unknown>>;
  };
  const setAttempt = async (rid: string, aid: string, body: Record<string, unknown>) => {
    const res = await api('POST', `/rollouts/${rid}/attempts/${aid}`, body);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('S1 a valid span answers 201 and echoes it, unknown keys included at every keeping level', async () => {
    const { rid, aid } = await started();
    const ctx = { trace_id: hex(16), span_id: hex(8), is_remote: true, trace_state: { k: 'v' }, ctx_extra: 'c' };
    const body = spanBody(rid, aid, 1, {
      extra_field: 42,
      status: { status_code: 'ERROR', description: 'boom', status_extra: true },
      context: ctx,
      events: [{ name: 'e', attributes: { a: 1 }, timestamp: 1700000000.5, event_extra: [1, 2] }],
      links: [{ context: ctx, attributes: null, link_extra: { x: 1 } }],
    });
    const res = await addSpan(body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual(body);
    expect(await listSpans(`rollout_id=${rid}`)).toEqual([body]);
  });

  it('S2 unknown keys inside resource are dropped from the stored span', async () => {
    const { rid, aid } = await started();
    const body = spanBody(rid, aid, 1, { resource: { attributes: { a: 'b' }, schema_url: 'u', junk: 1 } });
    const res = await addSpan(body);
    expect(res.status).toBe(201);
    expect(res.body.resource).toEqual({ attributes: { a: 'b' }, schema_url: 'u' });
    const [stored] = await listSpans(`rollout_id=${rid}`);
    expect(stored?.resource).toEqual({ attributes: { a: 'b' }, schema_url: 'u' });
  });

  it('S3 the first span of a preparing latest attempt makes attempt and rollout running and stamps a heartbeat', async () => {
    const { rid, aid } = await started();
    expect((await latestAttempt(rid)).last_heartbeat_time).toBeNull();
    const before = nowSeconds();
    expect((await addSpan(spanBody(rid, aid, 1))).status).toBe(201);
    const after = nowSeconds();
    const attempt = await latestAttempt(rid);
    expect(attempt.status).toBe('running');
    expect(attempt.last_heartbeat_time).toBeGreaterThanOrEqual(before - 1);
    expect(attempt.last_heartbeat_time).toBeLessThanOrEqual(after + 1);
    expect((await rollout(rid)).status).toBe('running');
  });

  it('S4 every new span advances the attempt last_heartbeat_time', async () => {
    const { rid, aid } = await started();
    await addSpan(spanBody(rid, aid, 1));
    const first = (await latestAttempt(rid)).last_heartbeat_time as number;
    await new Promise((r) => setTimeout(r, 30));
    await addSpan(spanBody(rid, aid, 2));
    const second = (await latestAttempt(rid)).last_heartbeat_time as number;
    expect(second).toBeGreaterThan(first);
  });

  it('S5 a span for an unresponsive attempt sets it running', async () => {
    const { rid, aid } = await started();
    await setAttempt(rid, aid, { status: 'unresponsive' });
    expect((await addSpan(spanBody(rid, aid, 1))).status).toBe(201);
    expect((await latestAttempt(rid)).status).toBe('running');
  });

  it.each(['timeout', 'failed', 'succeeded'])(
    'S6 a span for a %s attempt stamps the heartbeat and keeps the status',
    async (status) => {
      const { rid, aid } = await started();
      await setAttempt(rid, aid, { status });
      const rolloutBefore = await rollout(rid);
      const before = nowSeconds();
      expect((await addSpan(spanBody(rid, aid, 1))).status).toBe(201);
      const attempt = await latestAttempt(rid);
      expect(attempt.status).toBe(status);
      expect(attempt.last_heartbeat_time).toBeGreaterThanOrEqual(before - 1);
      expect((await rollout(rid)).status).toBe(rolloutBefore.status);
    },
  );

  it('S7 a span for a non-latest attempt never changes the rollout status', async () => {
    const { rid, aid: first } = await started();
    const retry = await api('POST', `/rollouts/${rid}/attempts`);
    expect(retry.status).toBe(201);
    expect((await rollout(rid)).status).toBe('preparing');
    expect((await addSpan(spanBody(rid, first, 1))).status).toBe(201);
    expect((await rollout(rid)).status).toBe('preparing');
    // Re-queued by hand: a span of the old attempt must not pull it out of the queue either.
    await api('POST', `/rollouts/${rid}`, { status: 'requeuing' });
    expect((await addSpan(spanBody(rid, first, 2))).status).toBe(201);
    expect((await rollout(rid)).status).toBe('requeuing');
  });

  it('S8 spans/next returns 1 on the first call for a rollout and 2 on the second', async () => {
    const { rid, aid } = await started();
    const first = await api('POST', '/spans/next', { rollout_id: rid, attempt_id: aid });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ sequence_id: 1 });
    expect((await api('POST', '/spans/next', { rollout_id: rid, attempt_id: aid })).body).toEqual({ sequence_id: 2 });
  });

  it('S9 the counter is per rollout, shared by spans and attempt IDs', async () => {
    const { rid, aid } = await started();
    const other = await started();
    expect(await next(rid, aid)).toBe(1);
    await addSpan(spanBody(rid, aid, 2));
    expect(await next(rid, aid)).toBe(3);
    await addSpan(spanBody(rid, aid, 4));
    expect(await next(rid, `at-${hex(4)}`)).toBe(5);
    expect(await next(other.rid, other.aid)).toBe(1);
  });

  it('S10 spans/next allocates for unknown rollout and attempt IDs', async () => {
    const rid = `ro-${hex(6)}`;
    expect(await next(rid, `at-${hex(4)}`)).toBe(1);
    expect(await next(rid, `at-${hex(4)}`)).toBe(2);
    expect((await rollout(rid)) ?? null).toBeNull();
  });

  it('S11 a span raises the counter to its sequence_id (100 → 101; 0 on a fresh rollout → 1)', async () => {
    const a = await started();
    expect((await addSpan(spanBody(a.rid, a.aid, 100))).status).toBe(201);
    expect(await next(a.rid, a.aid)).toBe(101);
    const b = await started();
    expect((await addSpan(spanBody(b.rid, b.aid, 0))).status).toBe(201);
    expect(await next(b.rid, b.aid)).toBe(1);
  });

  it('S12 a span below the counter does not lower it', async () => {
    const { rid, aid } = await started();
    await addSpan(spanBody(rid, aid, 10));
    expect(await next(rid, aid)).toBe(11);
    expect((await addSpan(spanBody(rid, aid, 3))).status).toBe(201);
    expect(await next(rid, aid)).toBe(12);
  });

  it('S13 GET /spans without rollout_id answers 422 at ["query","rollout_id"]', async () => {
    const res = await api('GET', '/spans');
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'missing', loc: ['query', 'rollout_id'] })]),
    );
  });

  it('S14 GET /spans filters by attempt: none, explicit, latest and unknown', async () => {
    const { rid, aid: first } = await started();
    for (let i = 1; i <= 2; i++) await addSpan(spanBody(rid, first, i));
    const second = (await api('POST', `/rollouts/${rid}/attempts`)).body.attempt.attempt_id as string;
    for (let i = 3; i <= 5; i++) await addSpan(spanBody(rid, second, i));
    expect(await listSpans(`rollout_id=${rid}`)).toHaveLength(5);
    const ofFirst = await listSpans(`rollout_id=${rid}&attempt_id=${first}`);
    expect(ofFirst.map((s) => s.attempt_id)).toEqual([first, first]);
    const ofLatest = await listSpans(`rollout_id=${rid}&attempt_id=latest`);
    expect(ofLatest.map((s) => s.attempt_id)).toEqual([second, second, second]);
    expect(await listSpans(`rollout_id=${rid}&attempt_id=at-${hex(4)}`)).toEqual([]);
  });

  it('S15 attempt_id=latest is the highest-sequence attempt, even before it has spans', async () => {
    const { rid, aid } = await started();
    await addSpan(spanBody(rid, aid, 1));
    await addSpan(spanBody(rid, aid, 2));
    expect((await api('POST', `/rollouts/${rid}/attempts`)).status).toBe(201);
    expect(await listSpans(`rollout_id=${rid}&attempt_id=latest`)).toEqual([]);
  });

  it('S15 a read of attempt_id=latest before a new attempt starts is not served again after it (cache, ETag)', async () => {
    const { rid, aid } = await started();
    await addSpan(spanBody(rid, aid, 1));
    const query = `/spans?rollout_id=${rid}&attempt_id=latest`;
    const before = await api('GET', query);
    expect(before.body.map((s: { attempt_id: string }) => s.attempt_id)).toEqual([aid]);
    const etag = before.headers.get('etag')!;
    expect(etag).toBeTruthy();

    // A retry starts attempt 2 and writes no span: only the rollout changed, yet `latest` now means attempt 2.
    expect((await api('POST', `/rollouts/${rid}/attempts`)).status).toBe(201);
    const after = await server.api('GET', query, undefined, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.body).toEqual([]);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(await listSpans(`rollout_id=${rid}&attempt_id=${aid}`)).toHaveLength(1);
  });

  it('S16 GET /spans for unknown rollouts, and latest on a rollout without attempts, return []', async () => {
    const unknown = `ro-${hex(6)}`;
    expect(await listSpans(`rollout_id=${unknown}`)).toEqual([]);
    expect(await listSpans(`rollout_id=${unknown}&attempt_id=at-${hex(4)}`)).toEqual([]);
    expect(await listSpans(`rollout_id=${unknown}&attempt_id=latest`)).toEqual([]);
    const queued = await api('POST', '/queues/rollouts/enqueue', { input: 1 });
    expect(await listSpans(`rollout_id=${queued.body.rollout_id}&attempt_id=latest`)).toEqual([]);
  });

  it('S17 GET /spans returns spans in arrival order, not sequence order', async () => {
    const { rid, aid } = await started();
    const sent = [7, 2, 5, 1].map((seq) => spanBody(rid, aid, seq));
    for (const body of sent) await addSpan(body);
    expect((await listSpans(`rollout_id=${rid}`)).map((s) => s.span_id)).toEqual(sent.map((s) => s.span_id));
  });

  it('S18 a duplicate span answers 201 then 200 with the first stored body, and is listed once', async () => {
    const { rid, aid } = await started();
    const body = spanBody(rid, aid, 1);
    const first = await addSpan(body);
    expect(first.status).toBe(201);
    const second = await addSpan(body);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await listSpans(`rollout_id=${rid}`)).toHaveLength(1);
  });

  it('S19 a duplicate with different content changes nothing (span, heartbeat, counter, statuses)', async () => {
    const { rid, aid } = await started();
    const body = spanBody(rid, aid, 1);
    await addSpan(body);
    // Unresponsive attempt, failed rollout: a real heartbeat would revive the attempt, a duplicate must not.
    await setAttempt(rid, aid, { status: 'unresponsive' });
    const attemptBefore = await latestAttempt(rid);
    const rolloutBefore = await rollout(rid);
    await new Promise((r) => setTimeout(r, 20));
    const dup = await addSpan({ ...body, sequence_id: 50, name: 'changed', attributes: { other: true } });
    expect(dup.status).toBe(200);
    expect(dup.body).toEqual(body);
    expect(await listSpans(`rollout_id=${rid}`)).toEqual([body]);
    expect(await latestAttempt(rid)).toEqual(attemptBefore);
    expect(await rollout(rid)).toEqual(rolloutBefore);
    expect(await next(rid, aid)).toBe(2);
  });

  it('S20 spans for unknown rollouts or attempts answer 404 and store nothing', async () => {
    const unknownRollout = `ro-${hex(6)}`;
    const res = await addSpan(spanBody(unknownRollout, `at-${hex(4)}`, 7));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: `Rollout ${unknownRollout} not found` });
    expect(await next(unknownRollout, 'x')).toBe(1);

    const { rid } = await started();
    const unknownAttempt = `at-${hex(4)}`;
    const res2 = await addSpan(spanBody(rid, unknownAttempt, 9));
    expect(res2.status).toBe(404);
    expect(res2.body).toEqual({ detail: `Attempt ${unknownAttempt} not found` });
    expect(await listSpans(`rollout_id=${rid}`)).toEqual([]);
    expect((await rollout(rid)).status).toBe('preparing');
    expect(await next(rid, unknownAttempt)).toBe(1);
  });

  it('S21 a span without the parent_id key answers 422; parent_id null is accepted', async () => {
    const { rid, aid } = await started();
    const { parent_id: _omitted, ...noParent } = spanBody(rid, aid, 1);
    expect((await addSpan(noParent)).status).toBe(422);
    expect(await listSpans(`rollout_id=${rid}`)).toEqual([]);
    expect((await addSpan(spanBody(rid, aid, 1, { parent_id: null }))).status).toBe(201);
  });

  it('S22 null, object and mixed-array attribute values answer 422; homogeneous arrays are accepted', async () => {
    const { rid, aid } = await started();
    for (const bad of [null, { nested: 1 }, [1, 'x'], [true, 1.5]]) {
      const res = await addSpan(spanBody(rid, aid, 1, { attributes: { bad } }));
      expect(res.status, JSON.stringify(bad)).toBe(422);
    }
    expect(await listSpans(`rollout_id=${rid}`)).toEqual([]);
    const attributes = { s: ['a', 'b'], b: [true, false], i: [1, 2, 3], f: [1.5, 2.25], one: 'x', n: 3, x: 0.5 };
    const ok = await addSpan(spanBody(rid, aid, 1, { attributes }));
    expect(ok.status).toBe(201);
    expect(ok.body.attributes).toEqual(attributes);
  });

  it('S23 span times are stored verbatim', async () => {
    const { rid, aid } = await started();
    const body = spanBody(rid, aid, 1, { start_time: 1.7e18, end_time: 1.7000000000001e18 });
    await addSpan(body);
    const [stored] = await listSpans(`rollout_id=${rid}`);
    expect(stored?.start_time).toBe(1.7e18);
    expect(stored?.end_time).toBe(1.7000000000001e18);
  });

  it('S24 20 concurrent allocate-then-add sequences get exactly 1..20 and all 20 spans are stored', async () => {
    const { rid, aid } = await started();
    const ids = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const seq = await next(rid, aid);
        expect((await addSpan(spanBody(rid, aid, seq))).status).toBe(201);
        return seq;
      }),
    );
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const stored = await listSpans(`rollout_id=${rid}&attempt_id=latest`);
    expect(stored.map((s) => s.sequence_id).sort((a, b) => (a as number) - (b as number))).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });
});
