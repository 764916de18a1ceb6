#!/usr/bin/env node
// OTLP ingestion benchmark: 512-span batches into the real server on a durable SQLite store (a separate process),
// (1) through the official protobuf exporter, (2) as the exporter's serialised bodies posted with undici (server
// capacity without the client's span-building cost), (3) 2,000,000 spans streamed while the server's RSS is sampled.
// Every acknowledged span is counted in the database afterwards. Prints a markdown section on stdout.
// Usage: node bench/otlp-ingest.mjs [--quick] [--profile]   (--profile: CPU profile of phase 2, where time goes)
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { Agent, request } from 'undici';
import { BATCH, spanSource } from './otlp-spans.mjs';
import { summarizeProfile } from './cpu-profile.mjs';

const root = new URL('..', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
const EXPORTED = quick ? 50 * BATCH : 400 * BATCH;
const POSTED = quick ? 50 * BATCH : 400 * BATCH;
const STREAMED = quick ? 200_000 : 2_000_000;
const ROLLOUTS = 64;
const IN_FLIGHT = 4;
const log = (line) => process.stderr.write(`${line}\n`);
const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function startServer(dbPath, profileDir) {
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
  return { child, url };
}

async function stopServer(child) {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** Runs `IN_FLIGHT` loops that each call `send()` until `total` spans are acknowledged; returns spans/s. */
async function drive(total, send) {
  let sent = 0;
  const started = performance.now();
  const loop = async () => {
    while (sent < total) {
      sent += BATCH;
      await send();
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, loop));
  return { spans: sent, seconds: (performance.now() - started) / 1000 };
}

const dir = mkdtempSync(join(tmpdir(), 'agl-otlp-bench-'));
const dbPath = join(dir, 'bench.db');
const profileDir = profile ? join(dir, 'profile') : null;
const { child, url } = await startServer(dbPath, profileDir);
const agent = new Agent({ connections: IN_FLIGHT * 2 });
const lines = [];
let acknowledged = 0;
try {
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
  const sampleBody = source.body();
  const post = async (body) => {
    const res = await request(`${url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body,
      dispatcher: agent,
    });
    const answer = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode !== 200 || answer.length !== 0) throw new Error(`answer ${res.statusCode}: ${answer}`);
    acknowledged += BATCH;
  };

  lines.push(
    `Batches of ${BATCH} SDK spans (an LLM call with prompt, completion and 48 token ids, and a tool call under it;`,
    `${fmt(sampleBody.length / BATCH)} bytes per span in protobuf), ${ROLLOUTS} rollouts, ${IN_FLIGHT} requests in flight,`,
    'server and load generator on the same machine. A span counts once its request was answered 200 (after the commit).',
    '',
    '| phase | spans | seconds | spans/s |',
    '| --- | ---: | ---: | ---: |',
  );
  const row = (label, r) =>
    lines.push(`| ${label} | ${fmt(r.spans)} | ${fmt(r.seconds, 1)} | ${fmt(r.spans / r.seconds)} |`);

  // (1) The official exporter, building and serialising spans as a runner would.
  const exporters = Array.from({ length: IN_FLIGHT }, () => new OTLPTraceExporter({ url: `${url}/v1/traces` }));
  let turn = 0;
  const exported = await drive(EXPORTED, async () => {
    const exporter = exporters[turn++ % IN_FLIGHT];
    const result = await new Promise((resolve) => exporter.export(source.batch(), resolve));
    if (result.code !== 0) throw result.error ?? new Error('export failed');
    acknowledged += BATCH;
  });
  await Promise.all(exporters.map((e) => e.shutdown()));
  row('official proto exporter (`@opentelemetry/exporter-trace-otlp-proto`)', exported);
  log(`exporter: ${fmt(exported.spans / exported.seconds)} spans/s`);

  // (2) The same bodies, serialised beforehand: what the server alone sustains.
  const bodies = Array.from({ length: POSTED / BATCH }, () => source.body());
  const posted = await drive(POSTED, () => post(bodies.pop()));
  row('pre-serialised exporter bodies posted with undici', posted);
  log(`posted: ${fmt(posted.spans / posted.seconds)} spans/s`);

  // (3) A long stream with the server's memory sampled.
  const samples = [];
  const timer = setInterval(() => samples.push({ spans: acknowledged, rss: rssMiB(child.pid) }), 1000);
  const startRss = rssMiB(child.pid);
  const streamed = await drive(STREAMED, () => post(source.body()));
  clearInterval(timer);
  row(`stream of ${fmt(STREAMED)} spans (bodies built as they go)`, streamed);
  lines.push('', `### Server memory while ${fmt(STREAMED)} spans stream in`, '');
  lines.push('| spans stored so far | server RSS (MiB) |', '| ---: | ---: |', `| (stream start) | ${fmt(startRss)} |`);
  for (const fraction of [0.1, 0.25, 0.5, 0.75, 1]) {
    const sample = samples.find((s) => s.spans >= acknowledged - STREAMED + fraction * STREAMED) ?? samples.at(-1);
    lines.push(`| ${fmt(sample.spans)} | ${fmt(sample.rss)} |`);
  }
  const peak = Math.max(...samples.map((s) => s.rss));
  lines.push('', `Peak RSS during the stream: ${fmt(peak)} MiB (${samples.length} samples, one per second).`);
} finally {
  await agent.close();
  await stopServer(child);
}
const stored = new Database(dbPath, { readonly: true }).prepare('SELECT COUNT(*) AS n FROM spans').get().n;
lines.push('', `Spans in the database afterwards: ${fmt(stored)} (acknowledged: ${fmt(acknowledged)}).`);
if (stored !== acknowledged) lines.push('', `**Mismatch: ${fmt(acknowledged - stored)} acknowledged spans are missing.**`);
if (profileDir) {
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  lines.push('', '### Where the server spends its CPU (whole run)', '', ...summarizeProfile(join(profileDir, file)));
}
rmSync(dir, { recursive: true, force: true });
process.stdout.write(lines.join('\n') + '\n');
