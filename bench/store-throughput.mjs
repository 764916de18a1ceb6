#!/usr/bin/env node
// Store benchmark: the runner loop on durable SQLite over real HTTP with keep-alive, from a separate
// load-generator process (bench/load-runner.mjs), then the growth of the store to 100k rollouts and the
// dashboard's list read at that size. Prints a markdown section on stdout.
// Usage: node bench/store-throughput.mjs [--quick]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startStore } from './harness.mjs';

const root = new URL('..', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const perConcurrency = quick ? 1000 : 5000;
const growthTarget = quick ? 10_000 : 100_000;
const growthStep = quick ? 5_000 : 20_000;
const log = (line) => process.stderr.write(`${line}\n`);

function load(url, ...args) {
  const out = execFileSync(
    process.execPath,
    [join(root, 'bench/load-runner.mjs'), args[0], url, ...args.slice(1).map(String)],
    {
      maxBuffer: 1 << 24,
    },
  );
  return JSON.parse(String(out).trim().split('\n').at(-1));
}

async function timeGet(url, headers = {}) {
  const started = performance.now();
  const res = await request(url, { headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  return {
    ms: performance.now() - started,
    status: res.statusCode,
    bytes: body.length,
    etag: res.headers.etag,
    encoding: res.headers['content-encoding'] ?? 'identity',
  };
}

const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const dir = mkdtempSync(join(tmpdir(), 'agl-bench-'));
const server = await startStore({ db: join(dir, 'bench.db') });
const url = server.url;
const lines = [];
try {
  lines.push(`### Runner loop on SQLite (${fmt(perConcurrency)} rollouts per run)`, '');
  lines.push(
    'Each rollout: dequeue → attempt update (worker_id) → 4 × (`spans/next` + `POST /spans`) → attempt `succeeded` (11 requests).',
    '',
  );
  lines.push('| runners (C) | rollouts/s | requests/s | p50 ms | p99 ms |', '| ---: | ---: | ---: | ---: | ---: |');
  for (const c of [8, 32, 128]) {
    load(url, 'enqueue', perConcurrency, 64);
    const r = load(url, 'runners', c, `w${c}`);
    log(`C=${c}: ${fmt(r.rollouts / r.seconds)} rollouts/s p99 ${fmt(r.p99, 1)} ms`);
    lines.push(
      `| ${c} | ${fmt(r.rollouts / r.seconds)} | ${fmt(r.requests / r.seconds)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} |`,
    );
  }

  lines.push('', `### Throughput as the store grows (C = 32, to ${fmt(growthTarget)} rollouts)`, '');
  lines.push('| rollouts in store before the step | step | rollouts/s | p99 ms |', '| ---: | ---: | ---: | ---: |');
  let total = 3 * perConcurrency;
  while (total < growthTarget) {
    const step = Math.min(growthStep, growthTarget - total);
    load(url, 'enqueue', step, 64);
    const r = load(url, 'runners', 32, 'grow');
    lines.push(`| ${fmt(total)} | ${fmt(step)} | ${fmt(r.rollouts / r.seconds)} | ${fmt(r.p99, 2)} |`);
    log(`at ${total}: ${fmt(r.rollouts / r.seconds)} rollouts/s`);
    total += step;
  }

  lines.push('', `### \`GET /agl/v1/rollouts\` with ${fmt(total)} rollouts`, '');
  lines.push('| request | status | encoding | bytes | ms |', '| --- | ---: | --- | ---: | ---: |');
  const list = `${url}/agl/v1/rollouts`;
  const browser = { 'accept-encoding': 'gzip, deflate, br' };
  const row = (label, r) =>
    lines.push(`| ${label} | ${r.status} | ${r.encoding} | ${fmt(r.bytes)} | ${fmt(r.ms, 1)} |`);
  row(
    'first read since the server started, `Accept-Encoding: gzip, deflate, br` (what a browser sends)',
    await timeGet(list, browser),
  );
  row('repeat read, unchanged store (cached body)', await timeGet(list, browser));
  load(url, 'enqueue', 100, 16);
  row('read after 100 more rollouts were written (a dashboard poll during training)', await timeGet(list, browser));
  const plain = await timeGet(list);
  row('read without compression', plain);
  const etag = plain.etag;
  const revalidations = [];
  for (let i = 0; i < 20; i++) revalidations.push((await timeGet(list, { 'if-none-match': etag })).ms);
  revalidations.sort((a, b) => a - b);
  lines.push(`| revalidation with \`If-None-Match\` (median of 20) | 304 | – | 0 | ${fmt(revalidations[10], 2)} |`);
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(lines.join('\n') + '\n');
