/**
 * JSON shape limits at the edge (http/json-limits.ts): nesting deeper than 256 levels and non-finite numbers get a
 * pydantic-shaped 422 naming the field, on every endpoint that reads a body, and nothing is stored. A value right at
 * the limit works end to end, including the path that once crashed the process: the watchdog timing out a rollout
 * with a deep input while a wait on it is pending.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findJsonProblem, MAX_JSON_DEPTH } from '../../src/http/json-limits.js';
import { spanBody } from '../conformance/fixtures.js';
import { engines, startServer, type TestServer } from '../helpers/http.js';

/** A JSON text of `levels` nested arrays around `inner`. */
const nestedText = (levels: number, inner = '1') => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;
const nested = (levels: number): unknown => JSON.parse(nestedText(levels));

describe('findJsonProblem', () => {
  it('counts the root as level 1 and stops at the first value past the limit', () => {
    expect(findJsonProblem({ a: nested(MAX_JSON_DEPTH - 1) })).toBeNull();
    const problem = findJsonProblem({ a: { b: nested(MAX_JSON_DEPTH) } });
    expect(problem).toMatchObject({ kind: 'too_deep', path: ['a', 'b', 0, 0] });
  });

  it('finds non-finite numbers anywhere, with their full path', () => {
    expect(findJsonProblem({ a: [1, { b: Infinity }] })).toEqual({
      kind: 'not_finite',
      path: ['a', 1, 'b'],
      value: Infinity,
    });
    expect(findJsonProblem(-Infinity)).toMatchObject({ kind: 'not_finite', path: [] });
    expect(findJsonProblem({ a: [1.5, -0, 1e308] })).toBeNull();
  });

  it('walks a million levels without overflowing the stack', () => {
    expect(findJsonProblem(nested(1_000_000))?.kind).toBe('too_deep');
  });
});

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(path: string, text: string) {
  return server!.api('POST', path, text);
}

describe.each(engines)('JSON shape limits over HTTP (%s)', (engine) => {
  it('a body nested past the limit answers 422 too_deeply_nested naming the field, on every endpoint', async () => {
    server = await startServer(engine);
    const started = await server.api('POST', '/rollouts', { input: 'x' });
    const rid = started.body.rollout_id as string;
    const aid = started.body.attempt.attempt_id as string;
    const deep = nestedText(10_000);
    const span = JSON.stringify(spanBody(rid, aid, 1)).replace('"attributes":{', `"attributes":{"deep":${deep},`);
    const cases: Array<[string, string, Array<string | number>]> = [
      ['/queues/rollouts/enqueue', `{"input":${deep}}`, ['body', 'input', 0, 0, 0]],
      ['/rollouts', `{"input":1,"metadata":{"m":${deep}}}`, ['body', 'metadata', 'm', 0, 0]],
      ['/rollouts/search', `{"rollout_ids":${deep}}`, ['body', 'rollout_ids', 0, 0, 0]],
      [`/rollouts/${rid}`, `{"input":${deep}}`, ['body', 'input', 0, 0, 0]],
      [`/rollouts/${rid}/attempts/${aid}`, `{"metadata":{"m":${deep}}}`, ['body', 'metadata', 'm', 0, 0]],
      [
        '/resources',
        `{"llm":{"resource_type":"llm","endpoint":"e","model":"m","sampling_parameters":${deep}}}`,
        ['body', 'llm', 'sampling_parameters', 0, 0],
      ],
      ['/resources/v1', `{"p":${deep}}`, ['body', 'p', 0, 0, 0]],
      ['/spans', span, ['body', 'attributes', 'deep', 0, 0]],
      ['/spans/next', `{"rollout_id":${deep},"attempt_id":"a"}`, ['body', 'rollout_id', 0, 0, 0]],
      ['/waits/rollouts', `{"rollout_ids":${deep},"timeout":0}`, ['body', 'rollout_ids', 0, 0, 0]],
      ['/queues/rollouts/enqueue', deep, ['body', 0, 0, 0, 0]],
    ];
    for (const [path, text, loc] of cases) {
      const res = await post(path, text);
      expect(res.status, path).toBe(422);
      expect(res.body.detail).toEqual([
        {
          type: 'too_deeply_nested',
          loc,
          msg: `JSON objects and arrays may be nested at most ${MAX_JSON_DEPTH} levels deep`,
          input: null,
          ctx: { max_depth: MAX_JSON_DEPTH },
        },
      ]);
    }
    // Nothing was stored: one rollout, unchanged; no resources; no spans; the counter untouched.
    const rollouts = (await server.api('GET', '/rollouts')).body;
    expect(rollouts).toHaveLength(1);
    expect(rollouts[0].input).toBe('x');
    expect((await server.api('GET', '/resources')).body).toEqual([]);
    expect((await server.api('GET', `/spans?rollout_id=${rid}`)).body).toEqual([]);
    expect((await server.api('POST', '/spans/next', { rollout_id: rid, attempt_id: aid })).body.sequence_id).toBe(1);
  });

  it('non-finite numbers answer 422 finite_number instead of being stored as null', async () => {
    server = await startServer(engine);
    const timeout = await post('/queues/rollouts/enqueue', '{"input":1,"config":{"timeout_seconds":1e400}}');
    expect(timeout.status).toBe(422);
    expect(timeout.body.detail[0]).toMatchObject({
      type: 'finite_number',
      loc: ['body', 'config', 'timeout_seconds'],
      msg: 'Input should be a finite number',
    });
    const input = await post('/rollouts', '{"input":{"x":[1,-1e999]}}');
    expect(input.status).toBe(422);
    expect(input.body.detail[0].loc).toEqual(['body', 'input', 'x', 1]);
    expect((await server.api('GET', '/rollouts')).body).toEqual([]);
  });

  it('an input at the nesting limit survives a watchdog timeout that wakes a pending wait', async () => {
    server = await startServer(engine, { watchdog: { intervalSeconds: 0.1 } });
    // The body is level 1 and `input` level 2, so the input itself may nest MAX_JSON_DEPTH - 1 levels.
    const input = nestedText(MAX_JSON_DEPTH - 1, '"core"');
    const config = '{"timeout_seconds":0.2}';
    const created = await post('/rollouts', `{"input":${input},"config":${config}}`);
    expect(created.status).toBe(201);
    const rid = created.body.rollout_id as string;
    const waited = await server.api('POST', '/waits/rollouts', { rollout_ids: [rid], timeout: 5 });
    expect(waited.status).toBe(200);
    expect(waited.body).toHaveLength(1);
    expect(waited.body[0].status).toBe('failed');
    expect(JSON.stringify(waited.body[0].input)).toBe(input);
    expect((await server.api('GET', '/health')).body).toEqual({ status: 'ok' });
  });
});
