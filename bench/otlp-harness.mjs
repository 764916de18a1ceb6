// The OTLP benchmark's plumbing: the built server CLI as a child process on a free port, the rollouts spans are
// routed to, a keep-alive client that posts protobuf bodies, and a driver that keeps a few requests in flight.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { BATCH, spanSource } from './otlp-spans.mjs';

export { BATCH };
export const ROLLOUTS = 64;
export const IN_FLIGHT = 4;

const root = new URL('..', import.meta.url).pathname;
export const log = (line) => process.stderr.write(`${line}\n`);
export const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The server's resident memory in MiB (Linux). */
export const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/**
 * CPU seconds the server has used (user + system), from `/proc/<pid>/stat` in clock ticks of 1/100 s. Unlike
 * throughput, CPU per span hardly depends on what else the machine is doing.
 */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** `packages/server/dist/cli.js` on a durable SQLite file and a free port; `profileDir` adds `--cpu-prof`. */
export async function startServer(dbPath, profileDir = null) {
  const nodeFlags = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const cli = join(root, 'packages/server/dist/cli.js');
  const args = [...nodeFlags, cli, '--db', dbPath, '--port', '0', '--log-level', 'error'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      const match = /listening on (\S+)/.exec(String(chunk));
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  return { child, url, stop };
}

/** Rollouts to route spans to, a span source over them, and `post(body)` that checks the empty 200 answer. */
export async function openIngest(url) {
  const agent = new Agent({ connections: IN_FLIGHT * 2 });
  const rollouts = [];
  for (let i = 0; i < ROLLOUTS; i++) {
    const res = await request(`${url}/agl/v1/rollouts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { task: i } }),
      dispatcher: agent,
    });
    const body = await res.body.json();
    rollouts.push({ rid: body.rollout_id, aid: body.attempt.attempt_id });
  }
  const source = spanSource(rollouts);
  const ingest = {
    source,
    sampleBytes: source.body().length,
    acknowledged: 0,
    async post(body) {
      const res = await request(`${url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body,
        dispatcher: agent,
      });
      const answer = Buffer.from(await res.body.arrayBuffer());
      if (res.statusCode !== 200 || answer.length !== 0) throw new Error(`answer ${res.statusCode}: ${answer}`);
      ingest.acknowledged += BATCH;
    },
    close: () => agent.close(),
  };
  return ingest;
}

/** `IN_FLIGHT` loops calling `send()` (one batch each) until `total` spans are done; `pid`'s CPU time is measured. */
export async function drive(pid, total, send) {
  let sent = 0;
  const started = performance.now();
  const cpuBefore = cpuSeconds(pid);
  const loop = async () => {
    while (sent < total) {
      sent += BATCH;
      await send();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, loop));
  return { spans: sent, seconds: (performance.now() - started) / 1000, cpu: cpuSeconds(pid) - cpuBefore };
}
