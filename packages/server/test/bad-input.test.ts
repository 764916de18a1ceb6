/**
 * Bad-input robustness over real HTTP: body size limits (413 over the configured limit, 32 MiB spans accepted by
 * default, docs/protocol.md §2.1) and malformed JSON, wrong types and explicit nulls on every POST endpoint, which
 * must answer 4xx — never 500 — and leave the store unchanged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spanBody } from './conformance/fixtures.js';
import { engines, startServer, type TestServer } from './helpers/http.js';

/** Raw bodies that are bad for every endpoint: not JSON at all, or JSON that is not an object. */
const GENERIC_BAD = [
  '{',
  '{"input":',
  'nul',
  '{"a":1,}',
  "{'a':1}",
  '\u0000',
  '[]',
  '[{}]',
  '"text"',
  '42',
  'true',
  'null',
];

describe.each(engines)('bad input (%s)', (engine) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a body over the configured limit answers 413 with a JSON detail and stores nothing', async () => {
    server = await startServer(engine, { bodyLimitBytes: 1024 });
    const res = await server.api('POST', '/queues/rollouts/enqueue', { input: 'x'.repeat(4096) });
    expect(res.status).toBe(413);
    expect(res.body).toHaveProperty('detail');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await server.api('GET', '/rollouts')).body).toEqual([]);
    // Just under the limit still works.
    expect((await server.api('POST', '/queues/rollouts/enqueue', { input: 'x'.repeat(512) })).status).toBe(201);
  });

  it('a 32 MiB span body is accepted at the default limit', async () => {
    server = await startServer(engine);
    const started = await server.api('POST', '/rollouts', { input: 1 });
    const payload = 'y'.repeat(32 * 1024 * 1024);
    const body = spanBody(started.body.rollout_id, started.body.attempt.attempt_id, 1, { attributes: { payload } });
    expect(JSON.stringify(body).length).toBeGreaterThan(32 * 1024 * 1024);
    const res = await server.api('POST', '/spans', body);
    expect(res.status).toBe(201);
    expect(res.body.attributes.payload).toHaveLength(payload.length);
  }, 60_000);

  it('malformed JSON, wrong types and explicit nulls on every POST endpoint answer 4xx and change nothing', async () => {
    server = await startServer(engine);
    const api = server.api;
    const started = await api('POST', '/rollouts', { input: 'victim' });
    const rid = started.body.rollout_id as string;
    const aid = started.body.attempt.attempt_id as string;
    await api('POST', '/resources/base', { llm: { resource_type: 'llm', endpoint: 'e', model: 'm' } });
    await api('POST', '/spans', spanBody(rid, aid, 1));

    const snapshot = async () => ({
      rollouts: (await api('GET', '/rollouts')).body,
      attempts: (await api('GET', `/rollouts/${rid}/attempts`)).body,
      resources: (await api('GET', '/resources')).body,
      latest: (await api('GET', '/resources/latest')).body,
      spans: (await api('GET', `/spans?rollout_id=${rid}`)).body,
    });
    const before = await snapshot();
    const counter = (await api('POST', '/spans/next', { rollout_id: rid, attempt_id: aid })).body.sequence_id;

    const rolloutBad = [
      { mode: null },
      { input: 1, mode: 5 },
      { input: 1, mode: 'bad' },
      { input: 1, resources_id: 7 },
      { input: 1, metadata: [] },
      { input: 1, metadata: 'x' },
      { input: 1, config: 'x' },
      { input: 1, config: { max_attempts: null } },
      { input: 1, config: { max_attempts: 'x' } },
      { input: 1, config: { max_attempts: 1.5 } },
      { input: 1, config: { retry_condition: null } },
      { input: 1, config: { retry_condition: ['nope'] } },
      { input: 1, config: { timeout_seconds: 'soon' } },
    ];
    const perEndpoint: Record<string, unknown[]> = {
      '/queues/rollouts/enqueue': rolloutBad,
      '/rollouts': rolloutBad,
      '/rollouts/search': [{ status: 'running' }, { status: [null] }, { status: ['bogus'] }, { rollout_ids: [1] }],
      [`/rollouts/${rid}`]: [
        { status: null },
        { config: null },
        { status: 5 },
        { status: 'bogus' },
        { mode: 'bad' },
        { metadata: 'x' },
        { config: { max_attempts: 0 } },
        { resources_id: 3 },
      ],
      [`/rollouts/${rid}/attempts/${aid}`]: [
        { status: null },
        { worker_id: null },
        { last_heartbeat_time: null },
        { metadata: null },
        { status: 'queuing' },
        { worker_id: 5 },
        { last_heartbeat_time: 'now' },
        { metadata: [1] },
      ],
      [`/rollouts/${rid}/attempts/latest`]: [{ status: null }, { status: 'cancelled' }, { metadata: 'x' }],
      '/resources': [
        { a: null },
        { a: 5 },
        { a: { resource_type: null } },
        { a: { resource_type: 'llm', model: 'm' } },
      ],
      '/resources/base': [{ a: null }, { a: [] }, { a: { resource_type: 'llm', endpoint: null, model: 'm' } }],
      '/spans': [
        ...[
          'rollout_id',
          'attempt_id',
          'sequence_id',
          'span_id',
          'name',
          'status',
          'attributes',
          'events',
          'resource',
        ].map((key) => spanBody(rid, aid, 1, { span_id: 'ffffffffffffffff', [key]: null })),
        spanBody(rid, aid, 1, { span_id: 'fffffffffffffffe', sequence_id: 'x' }),
        spanBody(rid, aid, 1, { span_id: 'fffffffffffffffd', sequence_id: 1.5 }),
        spanBody(rid, aid, 1, { span_id: 'fffffffffffffffc', events: [null] }),
        spanBody(rid, aid, 1, { span_id: 'fffffffffffffffb', context: { trace_id: null } }),
        spanBody(rid, aid, 1, { span_id: 'fffffffffffffffa', status: { status_code: 5 } }),
        spanBody(rid, aid, 1, { span_id: 'fffffffffffffff9', start_time: 'yesterday' }),
      ],
      '/spans/next': [{ rollout_id: null, attempt_id: aid }, { rollout_id: 1, attempt_id: aid }, { rollout_id: rid }],
      '/waits/rollouts': [
        { rollout_ids: null },
        { rollout_ids: 'x' },
        { rollout_ids: [1] },
        { rollout_ids: [rid], timeout: 'x' },
      ],
    };

    const failures: string[] = [];
    const attempt = async (path: string, body: unknown, acceptOk: boolean) => {
      const res = await api('POST', path, typeof body === 'string' ? body : JSON.stringify(body));
      const fine = acceptOk ? res.status < 500 : res.status >= 400 && res.status < 500;
      if (!fine) failures.push(`${path} ${JSON.stringify(body)} → ${res.status} ${res.text.slice(0, 200)}`);
    };
    for (const [path, bodies] of Object.entries(perEndpoint)) {
      for (const body of [...GENERIC_BAD, '', ...bodies]) await attempt(path, body, false);
    }
    // Dequeue ignores its body; the queue is empty, so even a 200 must be `null` and change nothing.
    for (const body of GENERIC_BAD) await attempt('/queues/rollouts/dequeue', body, true);

    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
    expect((await api('POST', '/spans/next', { rollout_id: rid, attempt_id: aid })).body.sequence_id).toBe(counter + 1);

    // Start-attempt also ignores its body: any answer is fine except a server error.
    for (const body of GENERIC_BAD) {
      const res = await api('POST', `/rollouts/${rid}/attempts`, body);
      expect(res.status, body).toBeLessThan(500);
    }
  }, 60_000);
});
