/**
 * A finite, seeded demo run against the real server (memory engine, real HTTP, default watchdog), then the store
 * is read back through the client and checked against what the scenario says happened.
 */
import { LightningStoreClient } from '@agl/client';
import type { Attempt, Span } from '@agl/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type DemoSummary } from '../src/index.js';
import { Scenario, timingFor } from '../src/scenario.js';
import { startStore, type TestStore } from './store.js';

const SEED = 7;
const TOTAL = 12;

let server: TestStore;
let client: LightningStoreClient;
let summary: DemoSummary;
const attempts = new Map<string, Attempt[]>();
const spans = new Map<string, Span[]>();

beforeAll(async () => {
  server = await startStore();
  client = new LightningStoreClient({ baseUrl: server.url });
  const demo = startDemo({
    baseUrl: server.url,
    speed: 8,
    runners: 4,
    rolloutsPerBatch: 6,
    totalRollouts: TOTAL,
    seed: SEED,
  });
  summary = await demo.done;
  for (const { rollout_id } of summary.rollouts) {
    attempts.set(rollout_id, await client.listAttempts(rollout_id));
    spans.set(rollout_id, await client.querySpans(rollout_id));
  }
}, 40_000);

afterAll(async () => {
  await server?.close();
});

const attemptOf = (ref: { rollout_id: string; attempt_id: string }) =>
  attempts.get(ref.rollout_id)?.find((a) => a.attempt_id === ref.attempt_id);
const spanOf = (ref: { rollout_id: string; span_id: string }) =>
  spans.get(ref.rollout_id)?.find((s) => s.span_id === ref.span_id);

describe('a finite seeded demo run', () => {
  it('enqueued every planned rollout in two batches, each trouble at least once', async () => {
    expect(summary.stopped).toBe(false);
    expect(summary.batches).toBe(2);
    const stored = await client.listRollouts();
    expect(stored.map((r) => r.rollout_id)).toEqual(summary.rollouts.map((r) => r.rollout_id));
    const troubles = new Set(summary.rollouts.map((r) => r.trouble));
    expect([...troubles].sort()).toEqual(['crash', 'doomed', 'flaky', 'none', 'slow', 'straggler']);
    expect(new Set(stored.map((r) => r.mode))).toEqual(new Set(['train', 'val']));
  });

  it('left every rollout in the status its scenario implies', async () => {
    const stored = new Map((await client.listRollouts()).map((r) => [r.rollout_id, r.status]));
    const count = (values: Iterable<string>) => {
      const counts: Record<string, number> = {};
      for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
      return counts;
    };
    expect(count(stored.values())).toEqual(count(summary.rollouts.map((r) => r.expected)));
    for (const planned of summary.rollouts)
      expect(stored.get(planned.rollout_id), planned.trouble).toBe(planned.expected);
  });

  it('retried exactly the rollouts whose first attempt went wrong', () => {
    const troubled = summary.rollouts.filter((r) => ['flaky', 'doomed', 'slow', 'crash'].includes(r.trouble));
    expect([...summary.retried].sort()).toEqual(troubled.map((r) => r.rollout_id).sort());
    for (const { rollout_id, trouble } of summary.rollouts) {
      const statuses = attempts.get(rollout_id)?.map((a) => a.status);
      if (trouble === 'none') expect(statuses).toEqual(['succeeded']);
      if (trouble === 'flaky') expect(statuses).toEqual(['failed', 'succeeded']);
      if (trouble === 'doomed') expect(statuses).toEqual(['failed', 'failed', 'failed']);
      if (trouble === 'slow') expect(statuses).toEqual(['timeout', 'succeeded']);
      if (trouble === 'crash') expect(statuses).toEqual(['unresponsive', 'succeeded']);
    }
  });

  it('the timed-out attempt is `timeout`, the silent runner`s attempt `unresponsive`, reported failures `failed`', () => {
    expect(summary.timedOut.length).toBeGreaterThan(0);
    for (const ref of summary.timedOut) expect(attemptOf(ref)?.status).toBe('timeout');
    expect(summary.silenced.length).toBeGreaterThan(0);
    for (const ref of summary.silenced) {
      expect(attemptOf(ref)).toMatchObject({ status: 'unresponsive', worker_id: ref.worker_id, end_time: null });
    }
    for (const ref of summary.failedAttempts) expect(attemptOf(ref)?.status).toBe('failed');
  });

  it('cancelled the straggler, and every attempt carries its runner`s worker ID', () => {
    const stragglers = summary.rollouts.filter((r) => r.trouble === 'straggler').map((r) => r.rollout_id);
    expect(summary.cancelled.sort()).toEqual(stragglers.sort());
    const workers = new Set([...attempts.values()].flat().map((a) => a.worker_id));
    expect([...workers].every((w) => /^runner-[1-4]$/.test(w ?? ''))).toBe(true);
    expect(workers.size).toBeGreaterThan(1);
  });

  it('stored reward spans in both styles with the emitted values', () => {
    const succeeded = summary.rollouts.filter((r) => r.expected === 'succeeded').length;
    expect(summary.rewards).toHaveLength(succeeded);
    expect(new Set(summary.rewards.map((r) => r.style))).toEqual(new Set(['reward', 'annotation']));
    for (const reward of summary.rewards) {
      const span = spanOf(reward);
      expect(span?.attempt_id).toBe(reward.attempt_id);
      if (reward.style === 'reward')
        expect(span).toMatchObject({ name: 'agentlightning.reward', attributes: { reward: reward.value } });
      else {
        expect(span?.name).toBe('agentlightning.annotation');
        expect(span?.attributes['agentlightning.reward.0.value']).toBe(reward.value);
      }
    }
  });

  it('emitted realistic spans: LLM calls with gen_ai attributes and token IDs, a tree under the agent span, errors', () => {
    const all = [...spans.values()].flat();
    expect(all).toHaveLength(summary.spans);
    const llm = all.filter((s) => s.name === 'openai.chat.completion');
    expect(llm.length).toBeGreaterThan(TOTAL);
    for (const span of llm) {
      expect(span.attributes).toMatchObject({
        'gen_ai.request.model': expect.stringContaining('Qwen2.5'),
        'gen_ai.prompt.0.role': 'system',
        'gen_ai.completion.0.role': 'assistant',
      });
      expect(span.attributes['prompt_token_ids']).toHaveLength(span.attributes['gen_ai.usage.prompt_tokens'] as number);
      expect(span.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(span.span_id).toMatch(/^[0-9a-f]{16}$/);
    }
    // Finished attempts have a root agent span that parents the others in the same trace.
    for (const root of all.filter((s) => s.name === 'math_agent')) {
      const children = all.filter((s) => s.parent_id === root.span_id);
      expect(children.length).toBeGreaterThanOrEqual(2);
      expect(children.every((c) => c.trace_id === root.trace_id && c.start_time! >= root.start_time!)).toBe(true);
    }
    expect(summary.errorSpans.length).toBeGreaterThan(0);
    for (const ref of summary.errorSpans) expect(spanOf(ref)?.status.status_code).toBe('ERROR');
    // Sequence IDs come from spans/next: unique per rollout.
    for (const list of spans.values()) expect(new Set(list.map((s) => s.sequence_id)).size).toBe(list.length);
  });

  it('published resources snapshots that the rollouts reference', async () => {
    const published = (await client.listResources()).map((r) => r.resources_id);
    expect([...published].reverse()).toEqual(summary.resources);
    expect(summary.rollouts.every((r) => summary.resources.includes(r.resources_id ?? ''))).toBe(true);
    const llm = (await client.getLatestResources())?.resources['main_llm'];
    expect(llm).toMatchObject({ resource_type: 'llm', api_key: 'sk-agl-demo', sampling_parameters: { top_p: 0.95 } });
  });

  it('the same seed plans the same run', () => {
    const plan = () => {
      const scenario = new Scenario(SEED, timingFor(5));
      return [scenario.planBatch(0, 6), scenario.planBatch(1, 6)]
        .flat()
        .map((p) => [p.task.task_id, p.task.question, p.trouble, p.mode]);
    };
    expect(plan()).toEqual(plan());
    expect(plan().map(([, , trouble]) => trouble)).toEqual(summary.rollouts.map((r) => r.trouble));
  });
});

describe('an endless demo run', () => {
  it('stops promptly on stop(), mid-batch, leaving the server healthy', async () => {
    const own = await startStore();
    try {
      const demo = startDemo({ baseUrl: own.url, speed: 5, runners: 2, rolloutsPerBatch: 4 });
      const ownClient = new LightningStoreClient({ baseUrl: own.url });
      while ((await ownClient.listRollouts()).filter((r) => r.status === 'running').length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const started = Date.now();
      await demo.stop();
      expect(Date.now() - started).toBeLessThan(2000);
      const summary = await demo.done;
      expect(summary.stopped).toBe(true);
      expect(summary.rollouts.length).toBeGreaterThan(0);
      expect(await ownClient.health()).toEqual({ status: 'ok' });
    } finally {
      await own.close();
    }
  });
});
