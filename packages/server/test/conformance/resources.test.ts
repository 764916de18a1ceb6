/**
 * Conformance R1–R15 (docs/behaviours.md, section R): resource snapshots, the latest pointer and default
 * resources on new rollouts. Most behaviours depend on the store-wide "latest" pointer, so every test gets a fresh
 * server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines, sleep, startServer, type TestServer } from '../helpers/http.js';

const llm = { resource_type: 'llm', endpoint: 'http://localhost:8000/v1', model: 'qwen' };
const llmFilled = { ...llm, api_key: null, sampling_parameters: {} };
const prompt = { resource_type: 'prompt_template', template: 'Solve: {q}', engine: 'f-string' };

describe.each(engines)('resources conformance (%s)', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer(engine);
  });
  afterEach(async () => {
    await server.close();
  });
  const api = (method: string, path: string, body?: unknown) => server.api(method, path, body);
  const add = async (body: unknown) => {
    const res = await api('POST', '/resources', body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const upsert = async (id: string, body: unknown) => {
    const res = await api('POST', `/resources/${id}`, body);
    expect(res.status).toBe(200);
    return res.body;
  };
  const latest = async () => {
    const res = await api('GET', '/resources/latest');
    expect(res.status).toBe(200);
    return res.body;
  };
  const enqueue = async (body: Record<string, unknown>) => {
    const res = await api('POST', '/queues/rollouts/enqueue', body);
    expect(res.status).toBe(201);
    return res.body;
  };

  it('R1 POST /resources answers 201 with an rs- ID, version 1 and create_time equal to update_time', async () => {
    const before = Date.now() / 1000;
    const snap = await add({ llm });
    expect(snap.resources_id).toMatch(/^rs-[0-9a-f]{12}$/);
    expect(snap.resources_id).toHaveLength(15);
    expect(snap.version).toBe(1);
    expect(snap.create_time).toBe(snap.update_time);
    expect(snap.create_time).toBeGreaterThanOrEqual(before - 1);
    expect(snap.resources).toEqual({ llm: llmFilled });
  });

  it('R2 generated resources IDs are unique across calls', async () => {
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push((await add({})).resources_id);
    expect(new Set(ids).size).toBe(10);
  });

  it('R3 llm, proxy_llm and prompt_template round-trip with resource_type kept and defaults filled', async () => {
    const proxy = {
      resource_type: 'proxy_llm',
      endpoint: 'http://proxy/v1',
      model: 'm',
      api_key: 'k',
      sampling_parameters: { temperature: 0.7 },
    };
    const snap = await add({ llm: { ...llm, ignored_key: 1 }, proxy, prompt });
    const expected = { llm: llmFilled, proxy, prompt };
    expect(snap.resources).toEqual(expected);
    expect((await api('GET', `/resources/${snap.resources_id}`)).body.resources).toEqual(expected);
  });

  it('R4 {} is a valid resources body', async () => {
    const snap = await add({});
    expect(snap.resources).toEqual({});
    expect((await api('GET', `/resources/${snap.resources_id}`)).body.resources).toEqual({});
  });

  it('R5 GET /resources/latest is null before any write, then the most recently added snapshot', async () => {
    const empty = await api('GET', '/resources/latest');
    expect(empty.status).toBe(200);
    expect(empty.body).toBeNull();
    const a = await add({ llm });
    expect(await latest()).toEqual(a);
    const b = await add({ prompt });
    expect(await latest()).toEqual(b);
  });

  it('R6 POST /resources/{id} creates that ID, makes it latest, and older IDs stay readable', async () => {
    const v1 = await upsert('v1', { llm });
    expect(v1).toMatchObject({ resources_id: 'v1', version: 1, resources: { llm: llmFilled } });
    expect(v1.create_time).toBe(v1.update_time);
    expect((await latest()).resources_id).toBe('v1');
    await upsert('v2', { prompt });
    expect((await latest()).resources_id).toBe('v2');
    expect((await api('GET', '/resources/v1')).body).toEqual(v1);
  });

  it('R7 an upsert replaces the whole mapping', async () => {
    await upsert('cur', { a: llm, b: prompt });
    const replaced = await upsert('cur', { a: prompt });
    expect(replaced.resources).toEqual({ a: prompt });
    expect((await api('GET', '/resources/cur')).body.resources).toEqual({ a: prompt });
  });

  it('R8 repeated updates keep create_time, never decrease update_time, count versions per ID', async () => {
    const first = await upsert('x', { llm });
    await sleep(5);
    const second = await upsert('x', { llm });
    const other = await upsert('y', { prompt });
    await sleep(5);
    const third = await upsert('x', {});
    expect([first.version, second.version, third.version]).toEqual([1, 2, 3]);
    expect(other.version).toBe(1);
    expect(second.create_time).toBe(first.create_time);
    expect(third.create_time).toBe(first.create_time);
    expect(second.update_time).toBeGreaterThanOrEqual(first.update_time);
    expect(third.update_time).toBeGreaterThanOrEqual(second.update_time);
    expect(third.update_time).toBeGreaterThan(first.update_time);
    // Snapshots from POST /resources count from 1 too, and can be upserted afterwards.
    const added = await add({});
    expect((await upsert(added.resources_id, { llm })).version).toBe(2);
  });

  it('R9 GET /resources/{unknown} answers 200 null', async () => {
    const res = await api('GET', '/resources/rs-000000000000');
    expect(res.status).toBe(200);
    expect(res.text).toBe('null');
  });

  it('R10 resource validation: missing tag, unknown tag and a missing llm field answer 422', async () => {
    const cases: Array<[unknown, string, unknown[]]> = [
      [{ r: { endpoint: 'e', model: 'm' } }, 'union_tag_not_found', ['body', 'r']],
      [{ r: { resource_type: 'tool', endpoint: 'e' } }, 'union_tag_invalid', ['body', 'r']],
      [{ r: { resource_type: 'llm', model: 'm' } }, 'missing', ['body', 'r', 'llm', 'endpoint']],
    ];
    for (const [body, type, loc] of cases) {
      for (const path of ['/resources', '/resources/bad']) {
        const res = await api('POST', path, body);
        expect(res.status, `${path} ${type}`).toBe(422);
        expect(res.body.detail).toEqual(expect.arrayContaining([expect.objectContaining({ type, loc })]));
      }
    }
    expect((await api('GET', '/resources')).body).toEqual([]);
    expect(await latest()).toBeNull();
  });

  it('R11 a rollout created with resources_id null, absent or "" gets the latest ID, or null without resources', async () => {
    for (const extra of [{}, { resources_id: null }, { resources_id: '' }]) {
      expect((await enqueue({ input: 1, ...extra })).resources_id).toBeNull();
    }
    const snap = await add({ llm });
    for (const extra of [{}, { resources_id: null }, { resources_id: '' }]) {
      expect((await enqueue({ input: 1, ...extra })).resources_id).toBe(snap.resources_id);
      const startedNow = await api('POST', '/rollouts', { input: 1, ...extra });
      expect(startedNow.body.resources_id).toBe(snap.resources_id);
    }
  });

  it('R12 an explicit resources_id, even an unknown one, is stored verbatim', async () => {
    await add({ llm });
    const ro = await enqueue({ input: 1, resources_id: 'res-123' });
    expect(ro.resources_id).toBe('res-123');
    expect((await api('GET', `/rollouts/${ro.rollout_id}`)).body.resources_id).toBe('res-123');
  });

  it('R13 the latest pointer follows updates: add A, add B, update A → latest A, inherited by new rollouts', async () => {
    const a = await add({ llm });
    const b = await add({ prompt });
    expect((await enqueue({ input: 1 })).resources_id).toBe(b.resources_id);
    await upsert(a.resources_id, { prompt });
    expect((await latest()).resources_id).toBe(a.resources_id);
    expect((await enqueue({ input: 2 })).resources_id).toBe(a.resources_id);
  });

  it('R14 GET /resources lists every snapshot, most recent write first, [] before any write', async () => {
    const empty = await api('GET', '/resources');
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual([]);
    const a = await add({ llm });
    const b = await add({ prompt });
    const c = await upsert('named', {});
    await upsert(a.resources_id, { prompt });
    const list = (await api('GET', '/resources')).body as Array<{ resources_id: string; version: number }>;
    expect(list.map((s) => s.resources_id)).toEqual([a.resources_id, c.resources_id, b.resources_id]);
    expect(list[0]).toEqual(await latest());
    expect(list[0]?.version).toBe(2);
  });

  it('R15 POST /resources/latest stores a snapshot with the ID "latest"', async () => {
    const snap = await upsert('latest', { llm });
    expect(snap.resources_id).toBe('latest');
    expect(await latest()).toEqual(snap);
    // GET /resources/latest stays the pointer: after another add it is that one, not the ID "latest".
    const other = await add({});
    expect((await latest()).resources_id).toBe(other.resources_id);
    const list = (await api('GET', '/resources')).body as Array<{ resources_id: string }>;
    expect(list.map((s) => s.resources_id)).toContain('latest');
  });
});
