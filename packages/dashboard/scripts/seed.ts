/**
 * Seeds a store with a small, realistic mix through the typed client (for screenshots and manual looks): resources
 * snapshots, rollouts in several statuses, retries, and spans.
 */
import { makeSpan } from '../../../scripts/lib/spans.mjs';
import type { StoreServer } from '../e2e/store';

const now = () => Date.now() / 1000;

function span(rolloutId: string, attemptId: string, seq: number, name: string, parent: string | null, offset: number) {
  const start = now() - 120 + offset;
  return makeSpan(rolloutId, attemptId, seq, {
    trace_id: 'a'.repeat(32),
    span_id: seq.toString(16).padStart(16, '0'),
    parent_id: parent,
    name,
    attributes: name.startsWith('openai')
      ? { 'gen_ai.request.model': 'qwen2.5-7b', 'gen_ai.usage.total_tokens': 812 }
      : {},
    start_time: start,
    end_time: start + 1.5 + seq * 0.4,
    context: null,
    resource: { attributes: { 'service.name': 'agent' }, schema_url: '' },
  });
}

export async function seedStore({ client }: StoreServer): Promise<void> {
  await client.addResources({
    main_llm: {
      resource_type: 'llm',
      endpoint: 'http://127.0.0.1:8000/v1',
      model: 'qwen2.5-7b',
      sampling_parameters: {},
    },
  });
  await client.addResources({
    main_llm: {
      resource_type: 'llm',
      endpoint: 'http://127.0.0.1:8000/v1',
      model: 'qwen2.5-7b-ckpt-200',
      sampling_parameters: { temperature: 0.7 },
    },
    system_prompt: {
      resource_type: 'prompt_template',
      template: 'You are a helpful agent. {task}',
      engine: 'f-string',
    },
  });

  const tasks = [
    'Book a flight to Lisbon',
    'Summarise the quarterly report',
    'Fix the failing unit test',
    'Plan a 3-day trip',
  ];
  for (const [i, task] of tasks.entries()) {
    const started = await client.startRollout({
      input: { task, difficulty: i + 1 },
      mode: i % 2 === 0 ? 'train' : 'val',
      config: { max_attempts: 2, retry_condition: ['failed'], timeout_seconds: null, unresponsive_seconds: null },
    });
    const { rollout_id: rid, attempt } = started;
    const aid = attempt.attempt_id;
    await client.addSpan(span(rid, aid, 1, 'agent.run', null, 0));
    await client.addSpan(span(rid, aid, 2, 'openai.chat.completion', '0000000000000001', 0.2));
    await client.addSpan(span(rid, aid, 3, 'tool.search', '0000000000000001', 1.1));
    if (i === 0) await client.updateAttempt(rid, aid, { status: 'succeeded' });
    if (i === 1) {
      await client.updateAttempt(rid, aid, { status: 'failed' });
    }
    if (i === 2) await client.updateAttempt(rid, aid, { worker_id: 'worker-3' });
  }
  await client.enqueueRollout({
    input: { task: 'Translate the README to French' },
    mode: 'test',
  });
  await client.enqueueRollout({ input: { task: 'Answer the support ticket #4411' } });
}
