/**
 * Several store servers on one PostgreSQL store answer like one server: claims are exactly-once across servers, span
 * sequence ids are consecutive across servers, a wait on one server wakes when another finishes the rollout, and a
 * list cached on one server is never served stale after another server acknowledged a write.
 */
import { describe, expect, it } from 'vitest';
import { spanBody } from '../conformance/fixtures.js';
import { call } from '../helpers/http.js';
import { expectOk, range, startServers } from './helpers.js';

describe('several servers on one PostgreSQL store', () => {
  it('64 dequeuers spread over 3 servers claim each of 600 queued rollouts exactly once', async () => {
    const { servers } = await startServers(3);
    const queued = new Set<string>();
    for (const batch of range(12)) {
      const results = await Promise.all(
        range(50).map((i) => servers[i % 3]!.api('POST', '/queues/rollouts/enqueue', { input: batch * 50 + i })),
      );
      for (const res of results) queued.add(expectOk(res, 201).body.rollout_id);
    }
    const claims: string[] = [];
    await Promise.all(
      range(64).map(async (worker) => {
        const server = servers[worker % 3]!;
        for (;;) {
          const res = expectOk(await server.api('POST', '/queues/rollouts/dequeue'));
          if (res.body === null) return;
          expect(res.body.attempt.sequence_id).toBe(1);
          claims.push(res.body.rollout_id);
        }
      }),
    );
    expect(claims).toHaveLength(600);
    expect(new Set(claims)).toEqual(queued);
  });

  it('span sequence ids of one rollout are unique and consecutive across servers', async () => {
    const { servers } = await startServers(3);
    const started = expectOk(await servers[0]!.api('POST', '/rollouts', { input: 1 }), 201).body;
    const body = { rollout_id: started.rollout_id, attempt_id: started.attempt.attempt_id };
    const results = await Promise.all(range(60).map((i) => servers[i % 3]!.api('POST', '/spans/next', body)));
    const ids = results.map((res) => expectOk(res).body.sequence_id as number).sort((a, b) => a - b);
    expect(ids).toEqual(range(60).map((i) => i + 1));
    // Spans without a sequence id of their own continue the same counter, whichever server stores them.
    const stored = await Promise.all(
      range(6).map((i) => servers[i % 3]!.api('POST', '/spans', spanBody(body.rollout_id, body.attempt_id, i + 100))),
    );
    for (const res of stored) expectOk(res, 201);
    expect(expectOk(await servers[1]!.api('POST', '/spans/next', body)).body.sequence_id).toBe(106);
  });

  it('a wait on one server wakes within 100 ms when another server finishes the rollout', async () => {
    const { servers } = await startServers(2);
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    for (const _ of range(5)) {
      const rollout = expectOk(await a.api('POST', '/rollouts', { input: 'x' }), 201).body;
      const waiting = b.api('POST', '/waits/rollouts', { rollout_ids: [rollout.rollout_id], timeout: 10 });
      await new Promise((resolve) => setTimeout(resolve, 100)); // the wait is registered on b
      const finished = a.api('POST', `/rollouts/${rollout.rollout_id}/attempts/latest`, { status: 'succeeded' });
      expectOk(await finished);
      const acknowledged = performance.now();
      const res = expectOk(await waiting);
      expect(performance.now() - acknowledged).toBeLessThan(100);
      expect(res.body.map((r: { status: string }) => r.status)).toEqual(['succeeded']);
    }
  });

  it('ETags and cached lists on one server follow writes acknowledged by another', async () => {
    const { servers } = await startServers(2);
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const first = expectOk(await a.api('POST', '/rollouts', { input: 1 }), 201).body;
    const list = expectOk(await b.api('GET', '/rollouts'));
    const etag = list.headers.get('etag')!;
    expect(list.body).toHaveLength(1);
    expect((await b.api('GET', '/rollouts', undefined, { 'if-none-match': etag })).status).toBe(304);
    for (const round of range(10)) {
      // Each write is acknowledged by a, then read back from b at once: never the cached body, never a 304.
      expectOk(await a.api('POST', '/queues/rollouts/enqueue', { input: round }), 201);
      const after = expectOk(await b.api('GET', '/rollouts', undefined, { 'if-none-match': etag }));
      expect(after.body).toHaveLength(round + 2);
    }
    expectOk(await a.api('POST', `/rollouts/${first.rollout_id}/attempts/latest`, { status: 'failed' }));
    const rows = expectOk(await b.api('GET', '/rollouts')).body as Array<{ rollout_id: string; status: string }>;
    expect(rows.find((r) => r.rollout_id === first.rollout_id)!.status).toBe('failed');
    const attempts = expectOk(await b.api('GET', `/rollouts/${first.rollout_id}/attempts`)).body;
    expect(attempts[0].status).toBe('failed');

    const resources = expectOk(await b.api('GET', '/resources'));
    expectOk(await a.api('POST', '/resources', {}), 201);
    const tag = resources.headers.get('etag')!;
    expect(expectOk(await b.api('GET', '/resources', undefined, { 'if-none-match': tag })).body).toHaveLength(1);

    const started = expectOk(await a.api('POST', '/rollouts', { input: 2 }), 201).body;
    const spans = `/spans?rollout_id=${started.rollout_id}`;
    const none = expectOk(await b.api('GET', spans));
    expectOk(await a.api('POST', '/spans', spanBody(started.rollout_id, started.attempt.attempt_id, 1)), 201);
    const spanTag = none.headers.get('etag')!;
    expect(expectOk(await b.api('GET', spans, undefined, { 'if-none-match': spanTag })).body).toHaveLength(1);
    // Both servers answer an unchanged store with the same body.
    expect((await call(`${a.url}/agl/v1/rollouts`, 'GET')).text).toBe(
      (await call(`${b.url}/agl/v1/rollouts`, 'GET')).text,
    );
  });
});
