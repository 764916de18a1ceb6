#!/usr/bin/env node
/**
 * Memory of the store under reads that each miss the list cache: 1,000,000 `GET /agl/v1/spans?rollout_id=<random>`
 * (32 concurrent keep-alive connections, undici) against the built store (`--memory`), the store process's resident
 * set size read from /proc every 50,000 reads. The list cache keeps one entry per distinct URL, bounded by entries
 * and bytes (http/list-cache.ts), so RSS must level off instead of growing with the number of distinct ids.
 * Prints a markdown section for docs/benchmarks.md on stdout. Build first (`npm run build`).
 * Usage: `node bench/list-cache-rss.mjs [reads]`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { startStore } from './harness.mjs';

const READS = Number(process.argv[2] ?? 1_000_000);
const CONCURRENCY = 32;
const SAMPLE_EVERY = 50_000;
const log = (line) => process.stderr.write(`[list-cache-rss] ${line}\n`);

/** Resident set size of a process in bytes (Linux). */
function rssOf(pid) {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

const store = await startStore();
const pool = new Pool(store.url, { connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 30_000 });
const samples = [{ reads: 0, rss: rssOf(store.child.pid) }];
let sent = 0;
let done = 0;
let nonOk = 0;
const started = performance.now();
try {
  const worker = async () => {
    while (sent < READS) {
      sent++;
      const res = await pool.request({
        method: 'GET',
        path: `/agl/v1/spans?rollout_id=ro-${randomBytes(6).toString('hex')}`,
      });
      await res.body.text();
      if (res.statusCode !== 200) nonOk++;
      done++;
      if (done % SAMPLE_EVERY === 0) {
        samples.push({ reads: done, rss: rssOf(store.child.pid) });
        log(`${done.toLocaleString('en-US')} reads: RSS ${mb(samples.at(-1).rss)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
} finally {
  await pool.close();
  await store.stop();
}
const seconds = (performance.now() - started) / 1000;
if (nonOk > 0) throw new Error(`${nonOk} reads did not answer 200`);

// RSS swings with the collector's cycles; growth would show as a higher peak in the second half than in the first.
const afterStart = samples.slice(1);
const first = afterStart[0];
const last = afterStart.at(-1);
const peak = (list) => list.reduce((a, b) => (b.rss > a.rss ? b : a));
const max = peak(afterStart);
const half = Math.ceil(afterStart.length / 2);
const [earlyPeak, latePeak] = [peak(afterStart.slice(0, half)), peak(afterStart.slice(half))];
const flat = latePeak.rss <= earlyPeak.rss * 1.1;
const fmt = (n) => n.toLocaleString('en-US');
const lines = [
  `${fmt(READS)} reads of \`GET /agl/v1/spans?rollout_id=<random>\` (each a list-cache miss with a new key), ` +
    `${CONCURRENCY} concurrent keep-alive connections, ${fmt(Math.round(READS / seconds))} reads/s; ` +
    `RSS of the store process (\`--memory\`), sampled every ${fmt(SAMPLE_EVERY)} reads.`,
  '',
  `- before the first read: ${mb(samples[0].rss)}`,
  `- first sample (${fmt(first.reads)} reads): **${mb(first.rss)}**; last (${fmt(last.reads)}): **${mb(last.rss)}**; ` +
    `max: **${mb(max.rss)}** (at ${fmt(max.reads)})`,
  `- peak of the second half ${mb(latePeak.rss)} vs the first half ${mb(earlyPeak.rss)}: ` +
    `${flat ? '**flat**' : '**GROWING**'} (flat = within 10%; the swings in between are garbage-collection cycles)`,
  '',
  '| reads | RSS |',
  '| ---: | ---: |',
  ...samples.map((s) => `| ${fmt(s.reads)} | ${mb(s.rss)} |`),
];
process.stdout.write(lines.join('\n') + '\n');
