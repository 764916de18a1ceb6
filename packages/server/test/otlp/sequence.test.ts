/**
 * OTLP ingestion O2 and O8 on both engines: sequence ids (allocated after earlier `spans/next` calls, consecutive
 * per rollout in request order, or fixed by `agentlightning.span_sequence_id`), and spans as heartbeats with the
 * promotions and duplicate handling of `POST /spans` (conformance S3–S7, S18–S19).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { engines, startServer, type TestServer } from '../helpers/http.js';
import { FORMATS, exportOk, recordSpans, routing, startedRollout, storedSpans } from './helpers.js';

/** `count` spans named `s0…`, each with `attributes(i)`, on a resource with `resource` attributes. */
function spansOf(resource: Attributes, count: number, attributes: (i: number) => Attributes = () => ({})) {
  return recordSpans(resource, (tracer) => {
    for (let i = 0; i < count; i++) tracer.startSpan(`s${i}`, { attributes: attributes(i) }).end();
  });
}

describe.each(engines)('OTLP sequence ids and heartbeats (%s)', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(engine);
  });
  afterAll(async () => {
    await server.close();
  });
  const api = (method: string, path: string, body?: unknown) => server.api(method, path, body);
  const next = async (rid: string, aid: string) =>
    (await api('POST', '/spans/next', { rollout_id: rid, attempt_id: aid })).body.sequence_id as number;
  const latestAttempt = async (rid: string) => (await api('GET', `/rollouts/${rid}/attempts/latest`)).body;
  const rollout = async (rid: string) => (await api('GET', `/rollouts/${rid}`)).body;
  const sequenceIds = async (rid: string) =>
    (await storedSpans(server, rid)).map((s) => [s.name as string, s.sequence_id as number]);

  it.each(FORMATS)('O2 spans follow earlier spans/next allocations, in request order (%s)', async (format) => {
    const { rid, aid } = await startedRollout(server);
    for (const expected of [1, 2, 3]) expect(await next(rid, aid)).toBe(expected);
    await exportOk(server, format, spansOf(routing(rid, aid), 3));
    expect(await sequenceIds(rid)).toEqual([
      ['s0', 4],
      ['s1', 5],
      ['s2', 6],
    ]);
    expect(await next(rid, aid)).toBe(7);
  });

  it.each(FORMATS)('O2 agentlightning.span_sequence_id is honoured and raises the counter (%s)', async (format) => {
    const { rid, aid } = await startedRollout(server);
    // An integer, a numeric string, a negative value (allocate) and none at all (allocate).
    const ids: Array<number | string | undefined> = [40, '41', -5, undefined];
    const spans = spansOf(routing(rid, aid), ids.length, (i) =>
      ids[i] === undefined ? {} : { 'agentlightning.span_sequence_id': ids[i]! },
    );
    await exportOk(server, format, spans);
    expect(await sequenceIds(rid)).toEqual([
      ['s0', 40],
      ['s1', 41],
      ['s2', 42],
      ['s3', 43],
    ]);
    expect(await next(rid, aid)).toBe(44);
  });

  it('O2 a sequence id on the resource applies to its spans unless a span sets its own', async () => {
    const { rid, aid } = await startedRollout(server);
    const resource = { ...routing(rid, aid), 'agentlightning.span_sequence_id': '9' };
    await exportOk(
      server,
      'protobuf',
      spansOf(resource, 2, (i) => (i === 1 ? { 'agentlightning.span_sequence_id': 12 } : {})),
    );
    expect(await sequenceIds(rid)).toEqual([
      ['s0', 9],
      ['s1', 12],
    ]);
  });

  it('O2 spans of several rollouts in one request are numbered per rollout; span routing beats the resource', async () => {
    const a = await startedRollout(server);
    const b = await startedRollout(server);
    await next(b.rid, b.aid);
    // One resource routed to rollout a; spans 1 and 3 carry their own routing to rollout b.
    const spans = spansOf(routing(a.rid, a.aid), 4, (i) => (i % 2 === 1 ? routing(b.rid, b.aid) : {}));
    await exportOk(server, 'protobuf', spans);
    expect(await sequenceIds(a.rid)).toEqual([
      ['s0', 1],
      ['s2', 2],
    ]);
    expect(await sequenceIds(b.rid)).toEqual([
      ['s1', 2],
      ['s3', 3],
    ]);
  });

  it.each(FORMATS)(
    'O8 the first spans make a preparing attempt and rollout running, with a heartbeat (%s)',
    async (format) => {
      const { rid, aid } = await startedRollout(server);
      expect((await latestAttempt(rid)).last_heartbeat_time).toBeNull();
      const before = Date.now() / 1000;
      await exportOk(server, format, spansOf(routing(rid, aid), 2));
      const attempt = await latestAttempt(rid);
      expect(attempt.status).toBe('running');
      expect(attempt.last_heartbeat_time).toBeGreaterThanOrEqual(before - 1);
      expect((await rollout(rid)).status).toBe('running');
    },
  );

  it('O8 later spans advance the heartbeat; an unresponsive attempt comes back to running', async () => {
    const { rid, aid } = await startedRollout(server);
    await exportOk(server, 'protobuf', spansOf(routing(rid, aid), 1));
    const first = (await latestAttempt(rid)).last_heartbeat_time as number;
    await api('POST', `/rollouts/${rid}/attempts/${aid}`, { status: 'unresponsive' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await exportOk(server, 'protobuf', spansOf(routing(rid, aid), 1));
    const attempt = await latestAttempt(rid);
    expect(attempt.status).toBe('running');
    expect(attempt.last_heartbeat_time).toBeGreaterThan(first);
  });

  it('O8 spans of a non-latest attempt stamp it but never change the rollout status', async () => {
    const { rid, aid: first } = await startedRollout(server);
    expect((await api('POST', `/rollouts/${rid}/attempts`)).status).toBe(201);
    await exportOk(server, 'protobuf', spansOf(routing(rid, first), 1));
    expect((await rollout(rid)).status).toBe('preparing');
    const attempts = (await api('GET', `/rollouts/${rid}/attempts`)).body as Array<Record<string, unknown>>;
    expect(attempts.find((a) => a.attempt_id === first)!.last_heartbeat_time).not.toBeNull();
  });

  it.each(FORMATS)(
    'O8 duplicates are stored once and change nothing, even when sent again changed (%s)',
    async (format) => {
      const { rid, aid } = await startedRollout(server);
      const spans = spansOf(routing(rid, aid), 2);
      await exportOk(server, format, spans);
      const stored = await storedSpans(server, rid);
      await api('POST', `/rollouts/${rid}/attempts/${aid}`, { status: 'unresponsive' });
      const attemptBefore = await latestAttempt(rid);
      const rolloutBefore = await rollout(rid);
      // The same span ids again: one unchanged, one renamed and carrying a sequence id; and within one request twice.
      const renamed = Object.assign(Object.create(spans[1]!) as ReadableSpan, {
        name: 'renamed',
        attributes: { 'agentlightning.span_sequence_id': 77 },
      });
      await exportOk(server, format, [spans[0]!, renamed, spans[0]!]);
      expect(await storedSpans(server, rid)).toEqual(stored);
      expect(await latestAttempt(rid)).toEqual(attemptBefore);
      expect(await rollout(rid)).toEqual(rolloutBefore);
      expect(await next(rid, aid)).toBe(3);
    },
  );

  it('O8 a span repeated within one new request is stored once with one sequence id', async () => {
    const { rid, aid } = await startedRollout(server);
    const [span] = spansOf(routing(rid, aid), 1);
    await exportOk(server, 'protobuf', [span!, span!, span!]);
    expect(await sequenceIds(rid)).toEqual([['s0', 1]]);
    expect(await next(rid, aid)).toBe(2);
  });
});
