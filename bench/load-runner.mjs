#!/usr/bin/env node
// Load generator for the store benchmark, run as its own process so it never shares a core's event loop with
// the server. Speaks HTTP/1.1 with keep-alive (undici Pool). Modes:
//   enqueue <url> <n> <concurrency>         enqueue n rollouts
//   runners <url> <concurrency> <worker>    C runners loop: dequeue → set worker_id → 4×(spans/next + span) →
//                                           succeeded, until the queue is empty; prints JSON stats
// <url> may list several servers, comma-separated (several servers on one PostgreSQL store): runner i, and the
// i-th enqueuer, talk to server i mod n, as clients spread by a load balancer would.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Pool } from 'undici';
import { makeSpan, randomHex as hex } from '../scripts/lib/spans.mjs';

const [mode, url, ...args] = process.argv.slice(2);
const pools = url
  .split(',')
  .map((server) => new Pool(server, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 }));
/** Which server the current runner talks to. */
const assigned = new AsyncLocalStorage();
const latencies = [];
let requests = 0;

async function call(method, path, body) {
  const started = performance.now();
  const pool = pools[(assigned.getStore() ?? 0) % pools.length];
  const res = await pool.request({
    method,
    path: `/agl/v1${path}`,
    headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  latencies.push(performance.now() - started);
  requests++;
  if (res.statusCode >= 300 || res.headers['content-encoding']) {
    if (res.statusCode >= 300) throw new Error(`${method} ${path} → ${res.statusCode} ${text.slice(0, 200)}`);
  }
  return text.length > 0 ? JSON.parse(text) : undefined;
}

function span(rolloutId, attemptId, sequenceId, traceId, parentId) {
  const start = Date.now() / 1000;
  return makeSpan(rolloutId, attemptId, sequenceId, {
    trace_id: traceId,
    parent_id: parentId,
    name: sequenceId === 4 ? 'agentlightning.reward' : 'openai.chat.completion',
    attributes: {
      'gen_ai.request.model': 'qwen2.5-1.5b',
      'gen_ai.usage.prompt_tokens': 112,
      'gen_ai.usage.completion_tokens': 38,
      reward: 0.5,
    },
    start_time: start,
    end_time: start + 0.01,
    resource: { attributes: { 'service.name': 'bench-runner' }, schema_url: '' },
  });
}

async function enqueue(n, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await call('POST', '/queues/rollouts/enqueue', {
        input: { task: i, question: `What is ${i} + ${i}?` },
        mode: 'train',
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => assigned.run(i, worker)));
}

async function runners(concurrency, workerPrefix) {
  let rollouts = 0;
  const runner = async (index) => {
    for (;;) {
      const claimed = await call('POST', '/queues/rollouts/dequeue');
      if (!claimed) return;
      const { rollout_id: rid, attempt } = claimed;
      const aid = attempt.attempt_id;
      await call('POST', `/rollouts/${rid}/attempts/${aid}`, { worker_id: `${workerPrefix}-${index}` });
      const traceId = hex(16);
      for (let i = 0; i < 4; i++) {
        const { sequence_id } = await call('POST', '/spans/next', { rollout_id: rid, attempt_id: aid });
        await call('POST', '/spans', span(rid, aid, sequence_id, traceId, null));
      }
      await call('POST', `/rollouts/${rid}/attempts/${aid}`, { status: 'succeeded' });
      rollouts++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, i) => assigned.run(i, () => runner(i))));
  const seconds = (performance.now() - started) / 1000;
  return { rollouts, seconds, requests };
}

function percentile(sorted, p) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

let result;
if (mode === 'enqueue') {
  const started = performance.now();
  await enqueue(Number(args[0]), Number(args[1] ?? 64));
  result = { seconds: (performance.now() - started) / 1000, requests };
} else if (mode === 'runners') {
  result = await runners(Number(args[0]), args[1] ?? 'worker');
} else {
  throw new Error(`unknown mode ${mode}`);
}
latencies.sort((a, b) => a - b);
result.p50 = percentile(latencies, 50);
result.p99 = percentile(latencies, 99);
await Promise.all(pools.map((pool) => pool.close()));
process.stdout.write(JSON.stringify(result) + '\n');
