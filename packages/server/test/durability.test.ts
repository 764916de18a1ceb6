/**
 * Durability of the SQLite engine through the real process: the built CLI on a temp database file is killed with
 * SIGKILL right after its last acknowledged response — inside the commit window of the next writes, which must not
 * have been answered — restarted on the same file, and every acknowledged write must be there: rollouts, attempts,
 * spans, resources, the queue order, the latest-resources pointer and the span counters. A second test checks a
 * clean SIGTERM shutdown.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spanBody } from './conformance/fixtures.js';
import { startStoreProcess, type StoreProcess } from './helpers/cli.js';
import type { call } from './helpers/http.js';

let dir: string;
let dbPath: string;
let holdFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agl-durability-'));
  dbPath = join(dir, 'store.db');
  holdFile = join(dir, 'hold-commits');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The CLI on `dbPath`. `holdCommits` arms the engine's test hook: once `holdFile` exists, the next group commit stops
 * right before COMMIT, says so on stderr and blocks, so the process can be killed inside the commit window.
 */
const startStore = (holdCommits = false): Promise<StoreProcess> =>
  startStoreProcess({ db: dbPath, env: holdCommits ? { AGL_TEST_HOLD_COMMIT_FILE: holdFile } : {} });

/** Resolves once `condition` holds (polled), or fails after `timeoutMs`. */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
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
    let store = await startStore(true);
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

    // More writes, and the kill inside their commit window: the server has done them but not committed them, so none
    // may have been answered (an answer sent before its COMMIT would be a lost acknowledged write).
    writeFileSync(holdFile, '');
    const answered: string[] = [];
    const unacknowledged = [
      api('POST', '/rollouts', { input: 'H' }),
      api('POST', '/resources/named3', { p: llm }),
      api('POST', '/spans', span(a, aid, 9, '0000000000000009')),
    ].map((reply) =>
      reply.then(
        (r) => answered.push(`${r.status} ${r.text}`),
        () => undefined,
      ),
    );
    await until(() => store.output().includes('agl-store: holding a commit'), 'the commit window');
    store.child.kill('SIGKILL');
    await store.exited;
    await Promise.all(unacknowledged);
    expect(answered).toEqual([]);

    store = await startStore();
    const rolloutsAfter = await ok(api('GET', '/rollouts'));
    expect(rolloutsAfter).toHaveLength(6); // not H: it was never committed
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
