/**
 * Durability of the SQLite engine through the real process: the built CLI on a temp database file is killed with
 * SIGKILL right after its last acknowledged response, restarted on the same file, and every acknowledged write must
 * be there — rollouts, attempts, spans, resources, the queue order, the latest-resources pointer and the span
 * counters. A second test checks a clean SIGTERM shutdown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spanBody } from './conformance/fixtures.js';
import { call } from './helpers/http.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

interface Store {
  child: ChildProcess;
  exited: Promise<number | null>;
  api: (method: string, path: string, body?: unknown) => ReturnType<typeof call>;
}

const children: ChildProcess[] = [];
let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agl-durability-'));
  dbPath = join(dir, 'store.db');
});
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the CLI on `dbPath` and resolves once it prints its listening URL. */
async function startStore(): Promise<Store> {
  const port = await freePort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AGL_')));
  const args = [CLI, '--db', dbPath, '--host', '127.0.0.1', '--port', String(port)];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 10_000;
  while (!output.includes(`:${port}`)) {
    if (child.exitCode !== null) throw new Error(`CLI exited with ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) throw new Error(`CLI did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const base = `http://127.0.0.1:${port}/agl/v1`;
  return { child, exited, api: (method, path, body) => call(`${base}${path}`, method, body) };
}

async function ok(res: ReturnType<typeof call>, status = 200) {
  const r = await res;
  expect(r.status, r.text).toBe(status);
  return r.body;
}

/** A span with a fixed ID and an unknown top-level key, which must survive the restart too. */
const span = (rolloutId: string, attemptId: string, sequenceId: number, spanId: string) =>
  spanBody(rolloutId, attemptId, sequenceId, { span_id: spanId, extra_key: { kept: true } });

const llm = { resource_type: 'llm', endpoint: 'http://localhost:8000/v1', model: 'qwen' };

describe('SQLite durability through the CLI', () => {
  it('every acknowledged write survives SIGKILL and a restart on the same file', async () => {
    let store = await startStore();
    const api = (m: string, p: string, b?: unknown) => store.api(m, p, b);

    // Resources: add, upsert a named one, then update the first so the latest pointer moves back to it.
    const r1 = await ok(api('POST', '/resources', { llm }), 201);
    await ok(api('POST', '/resources/named', {}));
    await ok(api('POST', `/resources/${r1.resources_id}`, { llm, extra: llm }));

    // Queue A..E; B retries once on failure.
    const retry = { max_attempts: 2, retry_condition: ['failed'] };
    const ids: string[] = [];
    for (const name of ['A', 'B', 'C', 'D', 'E']) {
      const body = { input: { name }, mode: 'train', config: name === 'B' ? retry : undefined, metadata: { name } };
      ids.push((await ok(api('POST', '/queues/rollouts/enqueue', body), 201)).rollout_id);
    }
    const [a, b, c, d, e] = ids as [string, string, string, string, string];

    // A: claimed, attempt updated, spans with a counter, then re-queued by hand → tail.
    const claimA = await ok(api('POST', '/queues/rollouts/dequeue'));
    expect(claimA.rollout_id).toBe(a);
    const aid = claimA.attempt.attempt_id as string;
    await ok(api('POST', `/rollouts/${a}/attempts/${aid}`, { status: 'running', worker_id: 'w1', metadata: { k: 1 } }));
    expect((await ok(api('POST', '/spans/next', { rollout_id: a, attempt_id: aid }))).sequence_id).toBe(1);
    await ok(api('POST', '/spans', span(a, aid, 1, '0000000000000001')), 201);
    await ok(api('POST', '/spans', span(a, aid, 5, '0000000000000002')), 201);
    expect((await ok(api('POST', '/spans/next', { rollout_id: a, attempt_id: aid }))).sequence_id).toBe(6);
    await ok(api('POST', `/rollouts/${a}`, { status: 'requeuing' }));

    // B: claimed and failed → requeuing by the retry rule → tail behind A.
    const claimB = await ok(api('POST', '/queues/rollouts/dequeue'));
    expect(claimB.rollout_id).toBe(b);
    await ok(api('POST', `/rollouts/${b}/attempts/latest`, { status: 'failed' }));

    const rolloutsBefore = await ok(api('GET', '/rollouts'));
    const attemptsBefore = await Promise.all(ids.map((id) => ok(api('GET', `/rollouts/${id}/attempts`))));
    const spansOfA = await ok(api('GET', `/spans?rollout_id=${a}`));
    expect(spansOfA).toHaveLength(2);

    // The last burst of writes; the process dies right after the final acknowledgement.
    const f = await ok(api('POST', '/rollouts', { input: 'F' }), 201);
    const fSpan = await ok(api('POST', '/spans', span(f.rollout_id, f.attempt.attempt_id, 3, '00000000000000ff')), 201);
    expect((await ok(api('POST', '/spans/next', { rollout_id: f.rollout_id, attempt_id: 'x' }))).sequence_id).toBe(4);
    const named2 = await ok(api('POST', '/resources/named2', { p: llm }));
    store.child.kill('SIGKILL');
    await store.exited;

    store = await startStore();
    const rolloutsAfter = await ok(api('GET', '/rollouts'));
    expect(rolloutsAfter.slice(0, 5)).toEqual(rolloutsBefore);
    expect(rolloutsAfter[5]).toMatchObject({ rollout_id: f.rollout_id, status: 'running' });
    expect(rolloutsAfter[5].attempt).toMatchObject({ status: 'running', sequence_id: 1 });
    expect(rolloutsAfter[5].attempt.last_heartbeat_time).not.toBeNull();
    for (const [i, id] of ids.entries())
      expect(await ok(api('GET', `/rollouts/${id}/attempts`))).toEqual(attemptsBefore[i]);
    expect(await ok(api('GET', `/spans?rollout_id=${a}`))).toEqual(spansOfA);
    expect(await ok(api('GET', `/spans?rollout_id=${f.rollout_id}`))).toEqual([fSpan]);

    // Resources and the latest pointer.
    expect(await ok(api('GET', '/resources/latest'))).toEqual(named2);
    const resources = (await ok(api('GET', '/resources'))) as Array<{ resources_id: string; version: number }>;
    expect(resources.map((r) => [r.resources_id, r.version])).toEqual([
      ['named2', 1],
      [r1.resources_id, 2],
      ['named', 1],
    ]);
    expect((await ok(api('POST', '/queues/rollouts/enqueue', { input: 'G' }), 201)).resources_id).toBe('named2');

    // Span counters continue where they stopped.
    expect((await ok(api('POST', '/spans/next', { rollout_id: a, attempt_id: aid }))).sequence_id).toBe(7);
    expect((await ok(api('POST', '/spans/next', { rollout_id: f.rollout_id, attempt_id: 'x' }))).sequence_id).toBe(5);

    // Queue order: C, D, E, then the re-queued A and B with their second attempts, then G, then nothing.
    const order: Array<[string, number]> = [];
    for (;;) {
      const claim = await ok(api('POST', '/queues/rollouts/dequeue'));
      if (claim === null) break;
      order.push([claim.rollout_id, claim.attempt.sequence_id]);
    }
    expect(order.slice(0, 5)).toEqual([
      [c, 1],
      [d, 1],
      [e, 1],
      [a, 2],
      [b, 2],
    ]);
    expect(order).toHaveLength(6);
    store.child.kill('SIGKILL');
  }, 30_000);

  it('SIGTERM shuts down cleanly (exit 0) and the file reopens with the data', async () => {
    let store = await startStore();
    const queued = await ok(store.api('POST', '/queues/rollouts/enqueue', { input: 'keep' }), 201);
    const snap = await ok(store.api('POST', '/resources', { llm }), 201);
    store.child.kill('SIGTERM');
    expect(await store.exited).toBe(0);

    store = await startStore();
    expect(await ok(store.api('GET', `/rollouts/${queued.rollout_id}`))).toEqual(queued);
    expect(await ok(store.api('GET', '/resources/latest'))).toEqual(snap);
    expect((await ok(store.api('POST', '/queues/rollouts/dequeue'))).rollout_id).toBe(queued.rollout_id);
    store.child.kill('SIGTERM');
    expect(await store.exited).toBe(0);
  }, 30_000);
});
