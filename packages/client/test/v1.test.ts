/** The `/v1/agl` client against the real server: batch queue calls with workers, pages, workers, statistics, key. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/src/app.js';
import type { StoreError } from '../src/index.js';
import { LightningStoreV1Client, queryString } from '../src/index.js';
import { startServer, type RunningServer } from './server.js';

let server: RunningServer;
let client: LightningStoreV1Client;

beforeEach(async () => {
  server = await startServer();
  client = new LightningStoreV1Client({ baseUrl: server.url, retryDelaysMs: [50], timeoutMs: 5000 });
});
afterEach(async () => {
  await server.close();
});

const span = (rolloutId: string, attemptId: string, spanId: string, name = 'step') => ({
  rollout_id: rolloutId,
  attempt_id: attemptId,
  sequence_id: 1,
  trace_id: '0'.repeat(32),
  span_id: spanId,
  parent_id: null,
  name,
  status: { status_code: 'OK', description: null },
  attributes: {},
  events: [],
  links: [],
  start_time: 1,
  end_time: 2,
  context: null,
  parent: null,
  resource: { attributes: {}, schema_url: '' },
});

describe('LightningStoreV1Client', () => {
  it('queries go out with repeated keys for lists, nulls left out', () => {
    expect(
      queryString({ status_in: ['queuing', 'failed'], limit: 10, sort_by: null, rollout_id_contains: undefined }),
    ).toBe('?status_in=queuing&status_in=failed&limit=10');
    expect(queryString({})).toBe('');
  });

  it('enqueues a batch, dequeues for a worker, and the worker follows', async () => {
    const rollouts = await client.enqueueRollouts([{ input: 1, mode: 'train' }, { input: 2 }, { input: 3 }]);
    expect(rollouts.map((r) => r.input)).toEqual([1, 2, 3]);
    const claimed = await client.dequeueRollouts({ limit: 2, workerId: 'runner-1' });
    expect(claimed.map((r) => [r.input, r.attempt.worker_id])).toEqual([
      [1, 'runner-1'],
      [2, 'runner-1'],
    ]);
    const worker = await client.getWorker('runner-1');
    expect(worker).toMatchObject({ status: 'busy', current_rollout_id: claimed[1]!.rollout_id });
    expect(await client.dequeueRollouts({ limit: 0 })).toEqual([]);
  });

  it('pages rollouts with sort, filters and totals; an empty filter list matches nothing', async () => {
    // One at a time, a few ms apart: rollouts enqueued in one batch may share a start time (ties keep insertion order).
    for (let i = 0; i < 5; i++) {
      await client.enqueueRollouts([{ input: i, mode: i % 2 ? 'val' : 'train' }]);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    const page = await client.queryRollouts({ limit: 2, offset: 1, sort_by: 'start_time', sort_order: 'desc' });
    expect([page.items.length, page.limit, page.offset, page.total]).toEqual([2, 2, 1, 5]);
    expect(page.items.map((r) => r.input)).toEqual([3, 2]);
    const val = await client.queryRollouts({ mode_in: ['val'] });
    expect(val.items.map((r) => r.input)).toEqual([1, 3]);
    const none = await client.queryRollouts({ status_in: [] });
    expect([none.items, none.total]).toEqual([[], 0]);
  });

  it('attempts, spans (a duplicate answers null) and span pages', async () => {
    const started = await client.startRollout({ input: 'x' }, 'runner-2');
    const rid = started.rollout_id;
    const aid = started.attempt.attempt_id;
    expect(await client.addSpan(span(rid, aid, 's1', 'llm'))).toMatchObject({ span_id: 's1' });
    expect(await client.addSpan(span(rid, aid, 's1', 'llm'))).toBeNull();
    await client.addSpan(span(rid, aid, 's2', 'tool'));
    const spans = await client.querySpans({ rollout_id: rid, attempt_id: 'latest', name_contains: 'to' });
    expect(spans.items.map((s) => s.span_id)).toEqual(['s2']);
    expect((await client.queryAttempts(rid)).items.map((a) => a.sequence_id)).toEqual([1]);
    expect(await client.nextSpanSequenceId(rid, aid)).toBe(2);
    await client.updateAttempt(rid, aid, { status: 'succeeded' });
    expect(await client.waitForRollouts([rid], 1)).toMatchObject([{ rollout_id: rid, status: 'succeeded' }]);
    expect((await client.getWorker('runner-2'))?.status).toBe('idle');
  });

  it('worker heartbeats, worker pages, resources pages and statistics', async () => {
    await client.heartbeatWorker('w-a', { cpu: 0.5 });
    await client.heartbeatWorker('w-b');
    const workers = await client.queryWorkers({ worker_id_contains: 'w-', sort_by: 'worker_id', sort_order: 'desc' });
    expect(workers.items.map((w) => w.worker_id)).toEqual(['w-b', 'w-a']);
    expect(workers.items[1]!.heartbeat_stats).toEqual({ cpu: 0.5 });
    await client.upsertResources('test-a', {});
    await client.addResources({});
    expect((await client.queryResources({ resources_id_contains: 'test-' })).total).toBe(1);
    const stats = await client.statistics();
    expect(stats).toMatchObject({ total_rollouts: 0, total_resources: 2, total_workers: 2 });
  });

  it('sends the API key as a Bearer header when given', async () => {
    const locked = await buildApp({ storage: { kind: 'memory' }, staticDir: null, apiKey: 'k' });
    await locked.listen({ host: '127.0.0.1', port: 0 });
    try {
      const address = locked.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const without = new LightningStoreV1Client({ baseUrl: url, retries: 0 });
      await expect(without.queryRollouts()).rejects.toMatchObject({ status: 401 } satisfies Partial<StoreError>);
      const keyed = new LightningStoreV1Client({ baseUrl: url, apiKey: 'k' });
      expect((await keyed.queryRollouts()).total).toBe(0);
    } finally {
      await locked.close();
    }
  });
});
