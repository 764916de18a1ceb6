/** Resources and span methods against the real server. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSpan } from '../../../scripts/lib/spans.mjs';
import type { LightningStoreClient, SpanInput } from '../src/index.js';
import { fastClient, startServer, type RunningServer } from './server.js';

let server: RunningServer;
let client: LightningStoreClient;

beforeEach(async () => {
  server = await startServer();
  client = fastClient(server.url);
});
afterEach(async () => {
  await server.close();
});

const llm = { resource_type: 'llm', endpoint: 'http://localhost:8000/v1', model: 'qwen' } as const;
const prompt = { resource_type: 'prompt_template', template: 'Solve: {q}', engine: 'f-string' } as const;

describe('resources', () => {
  it('adds, upserts, reads and lists snapshots; unknown IDs read as null', async () => {
    expect(await client.getLatestResources()).toBeNull();
    expect(await client.listResources()).toEqual([]);

    const added = await client.addResources({ llm, prompt });
    expect(added.resources_id).toMatch(/^rs-[0-9a-f]{12}$/);
    expect(added.version).toBe(1);
    expect(added.resources.llm).toEqual({ ...llm, api_key: null, sampling_parameters: {} });

    const v1 = await client.upsertResources('v1', { prompt });
    const v1again = await client.upsertResources('v1', { llm: { ...llm, sampling_parameters: { temperature: 0.7 } } });
    expect([v1.version, v1again.version]).toEqual([1, 2]);
    expect(Object.keys(v1again.resources)).toEqual(['llm']);

    expect((await client.getLatestResources())?.resources_id).toBe('v1');
    expect((await client.getResources(added.resources_id))?.resources.prompt).toEqual(prompt);
    expect(await client.getResources('missing')).toBeNull();
    expect((await client.listResources()).map((r) => r.resources_id)).toEqual(['v1', added.resources_id]);

    // new rollouts default to the latest snapshot
    expect((await client.enqueueRollout({ input: null })).resources_id).toBe('v1');
  });
});

/** An LLM-call span as a runner would send it. */
const span = (rolloutId: string, attemptId: string, sequenceId: number, extra: Partial<SpanInput> = {}): SpanInput =>
  makeSpan(rolloutId, attemptId, sequenceId, {
    name: 'openai.chat.completion',
    attributes: { 'gen_ai.request.model': 'qwen', 'gen_ai.usage.prompt_tokens': 12, prompt_token_ids: [1, 2, 3] },
    ...extra,
  });

describe('spans', () => {
  it('allocates sequence IDs, stores spans as heartbeats, and queries them by attempt', async () => {
    const { rollout_id, attempt } = await client.startRollout({ input: null });
    expect(await client.nextSpanSequenceId(rollout_id, attempt.attempt_id)).toBe(1);
    const seq = await client.nextSpanSequenceId(rollout_id, attempt.attempt_id);
    expect(seq).toBe(2);

    const body = span(rollout_id, attempt.attempt_id, seq, { custom_key: 'kept' });
    const stored = await client.addSpan(body);
    expect(stored).toEqual(body);
    // a repeated span ID is idempotent: the stored span comes back, no duplicate
    expect(await client.addSpan({ ...body, name: 'changed' })).toEqual(body);

    const latest = await client.getLatestAttempt(rollout_id);
    expect(latest?.status).toBe('running');
    expect(latest?.last_heartbeat_time).toEqual(expect.any(Number));

    expect(await client.querySpans(rollout_id)).toEqual([body]);
    expect(await client.querySpans(rollout_id, 'latest')).toEqual([body]);
    expect(await client.querySpans(rollout_id, 'at-00000000')).toEqual([]);
    expect(await client.querySpans('ro-000000000000')).toEqual([]);
  });
});
