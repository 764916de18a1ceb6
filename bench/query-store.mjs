// The store of the query benchmark: rollouts written in bulk through the storage engine (many per transaction, as a
// long training run would have left them), and a window of real store operations that measures write throughput.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

const dist = join(new URL('..', import.meta.url).pathname, 'packages/server/dist');
const { ChangeSet } = await import(join(dist, 'store/changes.js'));

const hex = (bytes) => randomBytes(bytes).toString('hex');
const PER_TRANSACTION = 2000;
let generated = 0;

/** Status mix of a long run: mostly finished, a few in flight. */
function statusOf(x) {
  if (x < 0.74) return 'succeeded';
  if (x < 0.88) return 'failed';
  if (x < 0.94) return 'queuing';
  if (x < 0.96) return 'cancelled';
  if (x < 0.98) return 'requeuing';
  return x < 0.995 ? 'running' : 'preparing';
}
const ATTEMPT_STATUS = { succeeded: 'succeeded', failed: 'failed', cancelled: 'failed', requeuing: 'failed' };

function span(rolloutId, attemptId, sequenceId, traceId, start) {
  return {
    rollout_id: rolloutId,
    attempt_id: attemptId,
    sequence_id: sequenceId,
    trace_id: traceId,
    span_id: hex(8),
    parent_id: null,
    name: sequenceId === 4 ? 'agentlightning.reward' : 'openai.chat.completion',
    status: { status_code: 'OK', description: null },
    attributes: { 'gen_ai.request.model': 'qwen2.5-1.5b', 'gen_ai.usage.prompt_tokens': 112, reward: 0.5 },
    events: [],
    links: [],
    start_time: start,
    end_time: start + 0.4,
    context: { trace_id: traceId, span_id: hex(8), is_remote: false, trace_state: {} },
    parent: null,
    resource: { attributes: { 'service.name': 'bench-runner' }, schema_url: '' },
  };
}

/** One generated rollout with its attempts and spans, written in `tx`. */
function writeRollout(tx, i) {
  const status = statusOf(Math.random());
  const x = Math.random();
  const start = 1.76e9 + i * 0.05;
  const rollout = {
    rollout_id: `ro-${hex(6)}`,
    input: { task: i, question: `What is ${i} + ${i}?` },
    start_time: start,
    end_time: null,
    mode: x < 0.75 ? 'train' : x < 0.9 ? 'val' : x < 0.95 ? 'test' : null,
    resources_id: `rs-${Math.floor(i / 50_000)}`,
    status,
    config: { timeout_seconds: null, unresponsive_seconds: null, max_attempts: 2, retry_condition: [] },
    metadata: {},
  };
  const attempts = [];
  if (status !== 'queuing') {
    const count = Math.random() < 0.1 ? 2 : 1;
    for (let seq = 1; seq <= count; seq++) {
      const began = start + 1 + seq * 20 + Math.random() * 10;
      const last = seq === count;
      const finished = last ? ATTEMPT_STATUS[status] : 'failed';
      attempts.push({
        rollout_id: rollout.rollout_id,
        attempt_id: `at-${hex(4)}`,
        sequence_id: seq,
        start_time: began,
        end_time: finished ? began + Math.random() * 30 : null,
        status: finished ?? status,
        worker_id: `Worker-${i % 64}`,
        last_heartbeat_time: status === 'preparing' && last ? null : began + Math.random() * 20,
        metadata: null,
      });
    }
  }
  const latest = attempts.at(-1) ?? null;
  if (latest?.end_time && ['succeeded', 'failed', 'cancelled'].includes(status)) rollout.end_time = latest.end_time;
  tx.insertRollout({ rollout, latest });
  for (const attempt of attempts) tx.insertAttempt(attempt);
  if (status === 'queuing' || status === 'requeuing') tx.enqueue(rollout.rollout_id);
  if (latest && status !== 'preparing') {
    const trace = hex(16);
    tx.insertSpans(
      [1, 2, 3, 4].map((seq) => span(rollout.rollout_id, latest.attempt_id, seq, trace, latest.start_time)),
    );
    tx.raiseSpanSequenceId(rollout.rollout_id, 4);
  }
}

/** Adds `count` generated rollouts. */
export async function buildStore(engine, count) {
  for (let done = 0; done < count; done += PER_TRANSACTION) {
    const size = Math.min(PER_TRANSACTION, count - done);
    await engine.write(new ChangeSet(), async (tx) => {
      for (let k = 0; k < size; k++) writeRollout(tx, generated++);
    });
  }
}

const WINDOW = 1000;
const CONCURRENCY = 32;

/** Runs `fn` over `items`, CONCURRENCY at a time; returns completed calls per second. */
async function rate(items, fn) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
  return items.length / ((performance.now() - started) / 1000);
}

/** Write throughput of the real store operations at the store's current size. */
export async function measureWrites(store) {
  const requests = Array.from({ length: WINDOW }, (_, i) => ({ input: { window: i }, mode: 'train' }));
  const enqueue = await rate(requests, (request) => store.enqueueRollout(request));
  const claimed = [];
  const dequeue = await rate(requests, async () => claimed.push(await store.dequeueRollout()));
  const work = claimed
    .filter(Boolean)
    .flatMap(({ rollout_id, attempt }) =>
      [1, 2, 3, 4].map(() => ({ rid: rollout_id, aid: attempt.attempt_id, trace: hex(16) })),
    );
  const spans = await rate(work, async ({ rid, aid, trace }) => {
    const sequence = await store.nextSpanSequenceId(rid);
    await store.addSpan(span(rid, aid, sequence, trace, Date.now() / 1000));
  });
  const finished = claimed.filter(Boolean);
  const complete = await rate(finished, ({ rollout_id, attempt }) =>
    store.updateAttempt(rollout_id, attempt.attempt_id, { status: 'succeeded' }),
  );
  return { enqueue, dequeue, spans, complete };
}
