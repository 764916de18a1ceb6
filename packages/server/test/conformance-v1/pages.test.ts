/**
 * Conformance P1–P11, P14–P16 on `/v1/agl`: pages of rollouts, attempts and resources — limit/offset, sorting with
 * its null rules, filters and their logic, GET and search alike (docs/protocol.md §8.2). Span pages: spans.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { engines, sleep } from '../helpers/http.js';
import { expectStatus, type Json } from '../conformance/fixtures.js';
import {
  bothWays,
  dequeueMany,
  enqueueMany,
  enqueueN,
  ids,
  page,
  search,
  startAttemptB,
  useV1Server,
} from './helpers.js';

describe.each(engines)('rollout pages (%s)', (engine) => {
  const s = useV1Server(engine);

  it('P1 limit and offset cut the page; total counts every match', async () => {
    const all = await enqueueN(s.b, 10);
    const first = await bothWays(s.b, '/rollouts', { limit: 3, offset: 0 });
    expect(first).toMatchObject({ limit: 3, offset: 0, total: 10 });
    expect(ids(first)).toEqual(all.slice(0, 3).map((r) => r.rollout_id));
    const second = await bothWays(s.b, '/rollouts', { limit: 3, offset: 3 });
    expect(second).toMatchObject({ limit: 3, offset: 3, total: 10 });
    expect(ids(second)).toEqual(all.slice(3, 6).map((r) => r.rollout_id));
  });

  it('P2 limit=-1 returns everything and echoes -1 (also the default)', async () => {
    const all = await enqueueN(s.b, 10);
    const everything = await bothWays(s.b, '/rollouts', { limit: -1 });
    expect(everything).toMatchObject({ limit: -1, offset: 0, total: 10 });
    expect(ids(everything)).toEqual(all.map((r) => r.rollout_id));
    expect(await page(s.b, '/rollouts')).toEqual(everything);
  });

  it('P6 GET and search answer the same page for the same parameters', async () => {
    await enqueueN(s.b, 4, { mode: 'train' });
    await dequeueMany(s.b, { limit: 2 });
    const params = { status_in: ['preparing', 'queuing'], sort_by: 'status', sort_order: 'desc', limit: 3, offset: 1 };
    const result = await bothWays(s.b, '/rollouts', params);
    expect(result).toMatchObject({ limit: 3, offset: 1, total: 4 });
    expect(result.items.map((r: Json) => r.status)).toEqual(['queuing', 'preparing', 'preparing']);
  });

  it('P7 sort_by=start_time is monotonic ascending and descending', async () => {
    for (let i = 0; i < 4; i++) {
      await enqueueN(s.b, 1);
      await sleep(5);
    }
    const times = async (order: string) =>
      (await bothWays(s.b, '/rollouts', { sort_by: 'start_time', sort_order: order })).items.map(
        (r: Json) => r.start_time,
      );
    const asc = await times('asc');
    expect(asc).toEqual([...asc].sort((x, y) => x - y));
    expect(await times('desc')).toEqual([...asc].reverse());
  });

  it('P8 null mode sorts as "" (first ascending, last descending); null end_time as +∞ (last ascending)', async () => {
    const [none, val, train] = await enqueueMany(s.b, [
      { input: 0 },
      { input: 1, mode: 'val' },
      { input: 2, mode: 'train' },
    ]);
    const byMode = async (order: string) =>
      ids(await bothWays(s.b, '/rollouts', { sort_by: 'mode', sort_order: order }));
    expect(await byMode('asc')).toEqual([none.rollout_id, train.rollout_id, val.rollout_id]);
    expect(await byMode('desc')).toEqual([val.rollout_id, train.rollout_id, none.rollout_id]);

    await s.b('POST', `/rollouts/${val.rollout_id}`, { status: 'succeeded' });
    await sleep(5);
    await s.b('POST', `/rollouts/${none.rollout_id}`, { status: 'failed' });
    const byEnd = async (order: string) =>
      ids(await bothWays(s.b, '/rollouts', { sort_by: 'end_time', sort_order: order }));
    expect(await byEnd('asc')).toEqual([val.rollout_id, none.rollout_id, train.rollout_id]);
    expect(await byEnd('desc')).toEqual([train.rollout_id, none.rollout_id, val.rollout_id]);
  });

  it('P8 ties keep insertion order in both directions (stable sort)', async () => {
    const all = await enqueueN(s.b, 4, { mode: 'test' });
    const expected = all.map((r) => r.rollout_id);
    expect(ids(await bothWays(s.b, '/rollouts', { sort_by: 'mode' }))).toEqual(expected);
    expect(ids(await bothWays(s.b, '/rollouts', { sort_by: 'mode', sort_order: 'desc' }))).toEqual(expected);
  });

  it('P9 status_in (one or several values), rollout_id_in and rollout_id_contains filter', async () => {
    const [r0, r1, r2, r3] = await enqueueN(s.b, 4);
    await dequeueMany(s.b, { limit: 1 }); // r0 preparing
    await s.b('POST', `/rollouts/${r1.rollout_id}`, { status: 'succeeded' });
    expect(ids(await bothWays(s.b, '/rollouts', { status_in: ['preparing'] }))).toEqual([r0.rollout_id]);
    expect(ids(await bothWays(s.b, '/rollouts', { status_in: ['queuing', 'succeeded'] }))).toEqual([
      r1.rollout_id,
      r2.rollout_id,
      r3.rollout_id,
    ]);
    expect(
      ids(await bothWays(s.b, '/rollouts', { rollout_id_in: [r3.rollout_id, r0.rollout_id, 'ro-unknown'] })),
    ).toEqual([r0.rollout_id, r3.rollout_id]);
    const fragment = r2.rollout_id.slice(4, 12);
    expect(ids(await bothWays(s.b, '/rollouts', { rollout_id_contains: fragment }))).toEqual([r2.rollout_id]);
    expect((await bothWays(s.b, '/rollouts', { rollout_id_contains: fragment.toUpperCase() })).total).toBe(
      fragment === fragment.toUpperCase() ? 1 : 0, // case-sensitive (a digits-only fragment has no case)
    );
  });

  it('P10 filter_logic: and keeps rollouts matching every filter, or those matching any', async () => {
    const [r1, r2, r3] = await enqueueN(s.b, 3);
    await s.b('POST', `/rollouts/${r1.rollout_id}`, { status: 'succeeded' });
    const filters = { status_in: ['succeeded'], rollout_id_in: [r1.rollout_id, r3.rollout_id] };
    expect(ids(await bothWays(s.b, '/rollouts', filters))).toEqual([r1.rollout_id]);
    expect(ids(await bothWays(s.b, '/rollouts', { ...filters, filter_logic: 'or' }))).toEqual([
      r1.rollout_id,
      r3.rollout_id,
    ]);
    expect(ids(await bothWays(s.b, '/rollouts', { filter_logic: 'or' }))).toContain(r2.rollout_id);
  });

  it('P11 a search with status_in: [] matches nothing; absent or null filters match everything', async () => {
    await enqueueN(s.b, 3);
    expect(await search(s.b, '/rollouts', { status_in: [] })).toEqual({ items: [], limit: -1, offset: 0, total: 0 });
    expect((await search(s.b, '/rollouts', { rollout_id_in: [] })).total).toBe(0);
    expect((await search(s.b, '/rollouts', { status_in: null, rollout_id_in: null })).total).toBe(3);
    expect((await search(s.b, '/rollouts', {})).total).toBe(3);
  });

  it('P16 rollouts with attempts carry the latest one; those without have no attempt key', async () => {
    const [claimed, queued] = await enqueueN(s.b, 2);
    const [first] = await dequeueMany(s.b, { limit: 1 });
    const second = await startAttemptB(s.b, claimed.rollout_id);
    const items = (await bothWays(s.b, '/rollouts')).items;
    expect(items[0].attempt).toEqual(second.attempt);
    expect(items[0].attempt.attempt_id).not.toBe(first.attempt.attempt_id);
    expect(items[1]).not.toHaveProperty('attempt');
    const one = expectStatus(await s.b('GET', `/rollouts/${claimed.rollout_id}`), 200);
    expect(one.attempt).toEqual(second.attempt);
    expect(expectStatus(await s.b('GET', `/rollouts/${queued.rollout_id}`), 200)).not.toHaveProperty('attempt');
  });

  it('an offset past the end gives empty items and the full total', async () => {
    await enqueueN(s.b, 2);
    expect(await bothWays(s.b, '/rollouts', { offset: 5, limit: 2 })).toEqual({
      items: [],
      limit: 2,
      offset: 5,
      total: 2,
    });
  });
});

describe.each(engines)('attempt pages (%s)', (engine) => {
  const s = useV1Server(engine);

  it('P15 attempts page in sequence_id order by default; an unknown rollout gives an empty page', async () => {
    const [rollout] = await enqueueN(s.b, 1);
    for (let i = 0; i < 5; i++) await startAttemptB(s.b, rollout.rollout_id);
    const path = `/rollouts/${rollout.rollout_id}/attempts`;
    const all = await bothWays(s.b, path);
    expect(all).toMatchObject({ limit: -1, offset: 0, total: 5 });
    expect(all.items.map((a: Json) => a.sequence_id)).toEqual([1, 2, 3, 4, 5]);
    const middle = await bothWays(s.b, path, { limit: 2, offset: 2 });
    expect(middle).toMatchObject({ limit: 2, offset: 2, total: 5 });
    expect(middle.items.map((a: Json) => a.sequence_id)).toEqual([3, 4]);
    const newestFirst = await bothWays(s.b, path, { sort_order: 'desc', limit: 2 });
    expect(newestFirst.items.map((a: Json) => a.sequence_id)).toEqual([5, 4]);
    expect(await bothWays(s.b, '/rollouts/ro-000000000000/attempts')).toEqual({
      items: [],
      limit: -1,
      offset: 0,
      total: 0,
    });
  });

  it('P8 attempts by worker_id put null first ascending and last descending', async () => {
    const [rollout] = await enqueueN(s.b, 1);
    const b = await startAttemptB(s.b, rollout.rollout_id, { worker_id: 'w-b' });
    const none = await startAttemptB(s.b, rollout.rollout_id);
    const a = await startAttemptB(s.b, rollout.rollout_id, { worker_id: 'w-a' });
    const path = `/rollouts/${rollout.rollout_id}/attempts`;
    const order = async (sort_order: string) =>
      ids(await bothWays(s.b, path, { sort_by: 'worker_id', sort_order }), 'attempt_id');
    const [idA, idB, idNone] = [a.attempt.attempt_id, b.attempt.attempt_id, none.attempt.attempt_id];
    expect(await order('asc')).toEqual([idNone, idA, idB]);
    expect(await order('desc')).toEqual([idB, idA, idNone]);
  });
});

describe.each(engines)('resource pages (%s)', (engine) => {
  const s = useV1Server(engine);
  const llm = { llm: { resource_type: 'llm', endpoint: 'http://x/v1', model: 'm' } };

  it('P14 resources_id_contains filters; with sort and limit it pages over the matches', async () => {
    for (const id of ['test-b', 'other', 'test-a']) expectStatus(await s.b('POST', `/resources/${id}`, llm), 200);
    const contains = await page(s.b, '/resources', { resources_id_contains: 'test-' });
    expect(contains.total).toBe(2);
    expect(ids(contains, 'resources_id')).toEqual(['test-b', 'test-a']);

    expectStatus(await s.b('POST', '/resources/test-c', llm), 200);
    const query = { resources_id_contains: 'test-', sort_by: 'resources_id', limit: 2 };
    const first = await page(s.b, '/resources', query);
    expect(first).toMatchObject({ limit: 2, offset: 0, total: 3 });
    expect(ids(first, 'resources_id')).toEqual(['test-a', 'test-b']);
    const second = await page(s.b, '/resources', { ...query, offset: 2 });
    expect(second).toMatchObject({ limit: 2, offset: 2, total: 3 });
    expect(ids(second, 'resources_id')).toEqual(['test-c']);
    expect(await page(s.b, '/resources', { ...query, offset: 10 })).toEqual({
      items: [],
      limit: 2,
      offset: 10,
      total: 3,
    });
  });

  it('resources_id matches exactly and is ANDed with resources_id_contains', async () => {
    for (const id of ['alpha', 'alphabet']) expectStatus(await s.b('POST', `/resources/${id}`, llm), 200);
    expect(ids(await page(s.b, '/resources', { resources_id: 'alpha' }), 'resources_id')).toEqual(['alpha']);
    expect((await page(s.b, '/resources', { resources_id: 'alpha', resources_id_contains: 'bet' })).total).toBe(0);
  });

  it('resources page in insertion order by default and sort by update_time', async () => {
    const added = expectStatus(await s.b('POST', '/resources', llm), 201);
    expectStatus(await s.b('POST', '/resources/named', llm), 200);
    await sleep(5);
    expectStatus(await s.b('POST', `/resources/${added.resources_id}`, llm), 200);
    expect(ids(await page(s.b, '/resources'), 'resources_id')).toEqual([added.resources_id, 'named']);
    const newest = await page(s.b, '/resources', { sort_by: 'update_time', sort_order: 'desc', limit: 1 });
    expect(newest.items[0]).toMatchObject({ resources_id: added.resources_id, version: 2 });
  });
});
