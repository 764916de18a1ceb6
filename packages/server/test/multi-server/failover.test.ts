/**
 * Losing a server: the watchdog role moves to a survivor within seconds of its holder's death, and a server killed
 * with SIGKILL in the middle of a runner load loses no acknowledged write — the rollouts it had handed out are
 * recovered by the ordinary unresponsive rule and finished by runners on the other servers.
 */
import { describe, expect, it } from 'vitest';
import { spanBody } from '../conformance/fixtures.js';
import type { StoreProcess } from '../helpers/cli.js';
import { eventually, expectOk, range, startServers } from './helpers.js';

const limits = (seconds: number) => ({
  max_attempts: 5,
  retry_condition: ['unresponsive', 'timeout'],
  timeout_seconds: null,
  unresponsive_seconds: seconds,
});

describe('losing a server', () => {
  it('the watchdog moves to a surviving server when its holder is killed', async () => {
    const { servers } = await startServers(2);
    const [first, second] = servers as [StoreProcess, StoreProcess];
    // The first server started holds the watchdog; the second only serves. Kill the holder.
    first.child.kill('SIGKILL');
    await first.exited;
    const started = performance.now();
    const rollout = expectOk(
      await second.api('POST', '/rollouts', { input: 'x', config: { ...limits(0.5), max_attempts: 1 } }),
      201,
    ).body;
    const status = await eventually(
      async () => {
        const res = expectOk(await second.api('GET', `/rollouts/${rollout.rollout_id}`));
        return res.body.status === 'failed' ? res.body.attempt.status : undefined;
      },
      8000,
      'the surviving server to apply the unresponsive rule',
    );
    expect(status).toBe('unresponsive');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('SIGKILL of one of three servers mid-load loses no acknowledged write; its claims are recovered', async () => {
    const { servers } = await startServers(3);
    const total = 120;
    for (const i of range(total)) {
      expectOk(await servers[i % 3]!.api('POST', '/queues/rollouts/enqueue', { input: i, config: limits(2) }), 201);
    }
    /** Every acknowledged span: rollout id → span ids. */
    const acknowledged = new Map<string, Set<string>>();
    let finishedCount = 0;
    let killed = false;
    let done = false;
    const alive = () => servers.filter((_, i) => !(killed && i === 0));
    const runner = async (index: number) => {
      while (!done) {
        const server = alive()[index % alive().length]!;
        try {
          const claim = await server.api('POST', '/queues/rollouts/dequeue');
          if (claim.status !== 200 || claim.body === null) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            continue;
          }
          const { rollout_id: rolloutId, attempt } = claim.body;
          for (const seq of range(3)) {
            const span = spanBody(rolloutId, attempt.attempt_id, seq + 1);
            const res = await server.api('POST', '/spans', span);
            if (res.status !== 201) continue;
            if (!acknowledged.has(rolloutId)) acknowledged.set(rolloutId, new Set());
            acknowledged.get(rolloutId)!.add(span.span_id as string);
          }
          const update = `/rollouts/${rolloutId}/attempts/${attempt.attempt_id}`;
          if ((await server.api('POST', update, { status: 'succeeded' })).status === 200) finishedCount++;
        } catch {
          // The request was on the server that died: its outcome is unknown, so nothing is counted.
        }
      }
    };
    const runners = Promise.all(range(12).map(runner));
    await eventually(async () => (finishedCount >= 30 ? true : undefined), 30_000, '30 finished rollouts');
    killed = true;
    servers[0]!.child.kill('SIGKILL');
    await eventually(
      async () => {
        const res = await alive()[0]!.api('GET', '/rollouts');
        const rows = res.body as Array<{ status: string }>;
        return rows.every((r) => r.status === 'succeeded') ? true : undefined;
      },
      40_000,
      'every rollout to succeed on the surviving servers',
    );
    done = true;
    await runners;

    const survivor = servers[1]!;
    const rows = expectOk(await survivor.api('GET', '/rollouts')).body as Array<{ rollout_id: string; status: string }>;
    expect(rows).toHaveLength(total);
    expect(rows.every((r) => r.status === 'succeeded')).toBe(true);
    for (const [rolloutId, spanIds] of acknowledged) {
      const stored = expectOk(await survivor.api('GET', `/spans?rollout_id=${rolloutId}`)).body as Array<{
        span_id: string;
      }>;
      const ids = new Set(stored.map((s) => s.span_id));
      for (const id of spanIds) expect(ids.has(id)).toBe(true);
    }
  }, 90_000);
});
