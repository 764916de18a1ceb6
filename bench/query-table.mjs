#!/usr/bin/env node
// v0.3 query benchmark on SQLite: a store of N rollouts (default 1,000,000; mixed statuses and modes, ~4 spans each)
// is generated in bulk through the storage engine, with the write throughput of the real store operations measured
// at every tenth of the way; then each rollout sort key × direction × filter is timed as a page of 100, plus
// `rollout_id_contains` and deep offsets. Times are server time: the `LightningStore` call in this process.
// The generated store is cached in bench-results/ (git-ignored) with its write figures, so reruns only query.
// Usage: node bench/query-table.mjs [--rollouts N] [--regenerate]   (needs `npm run build`)
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildStore, measureWrites } from './query-store.mjs';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'packages/server/dist');
const { SqliteEngine } = await import(join(dist, 'storage/sqlite.js'));
const { LightningStore } = await import(join(dist, 'store/store.js'));
const { LATEST_SCHEMA_VERSION } = await import(join(dist, 'storage/migrations.js'));

const arg = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : process.argv[index + 1];
};
const N = Number(arg('--rollouts', 1_000_000));
const log = (line) => process.stderr.write(`${line}\n`);
const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const dir = join(root, 'bench-results');
mkdirSync(dir, { recursive: true });
const base = join(dir, `query-store-${N}-schema${LATEST_SCHEMA_VERSION}`);
const dbPath = `${base}.db`;
const factsPath = `${base}.json`;
if (process.argv.includes('--regenerate') || !existsSync(factsPath)) {
  for (const suffix of ['', '-wal', '-shm', '.lock']) rmSync(`${base}.partial.db${suffix}`, { force: true });
  const started = Date.now();
  const engine = new SqliteEngine(`${base}.partial.db`);
  const store = new LightningStore(engine);
  const growth = [];
  const steps = 10;
  const measure = async (before) => {
    // The first window after a bulk step pays its WAL checkpoint and sort-key refresh: warm up, then measure.
    await measureWrites(store);
    growth.push({ before, ...(await measureWrites(store)) });
    log(`at ${before}: ${JSON.stringify(growth.at(-1))}`);
  };
  for (let step = 0; step < steps; step++) {
    await measure(Math.round((N * step) / steps));
    await buildStore(engine, Math.round((N * (step + 1)) / steps) - Math.round((N * step) / steps));
  }
  await measure(N);
  await store.close();
  renameSync(`${base}.partial.db`, dbPath);
  rmSync(`${base}.partial.db.lock`, { force: true });
  const facts = { growth, seconds: (Date.now() - started) / 1000, date: new Date().toISOString().slice(0, 16) };
  writeFileSync(factsPath, JSON.stringify(facts, null, 2));
}
const facts = JSON.parse(readFileSync(factsPath, 'utf8'));

const engine = new SqliteEngine(dbPath);
const store = new LightningStore(engine);
const lines = [];
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
async function timed(query, runs = 15) {
  const times = [];
  let page;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    page = await store.queryRollouts(query);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), total: page.total, items: page.items.length };
}
const query = (fields) => ({
  limit: 100,
  offset: 0,
  sort_by: null,
  sort_order: 'asc',
  filter_logic: 'and',
  status_in: null,
  rollout_id_in: null,
  rollout_id_contains: null,
  mode_in: null,
  ...fields,
});
const cell = (r) => `${fmt(r.p50, 1)} / ${fmt(r.p95, 1)}`;
const worst = { p95: 0, label: '' };
const track = (label, r) => {
  if (r.p95 > worst.p95) Object.assign(worst, { p95: r.p95, label });
  return r;
};

try {
  // Opening the store leaves sort keys of the last writes to refresh: the first query pays that, so it is not timed.
  await store.queryRollouts(query({ limit: 1 }));
  const counts = await store.statistics();
  lines.push(
    `### ${fmt(N)} rollouts on SQLite (${fmt(counts.total_attempts)} attempts, ${fmt(counts.total_spans)} spans)`,
    '',
    `Store generated in bulk through the storage engine (${fmt(facts.seconds)} s on ${facts.date}Z; cached in`,
    '`bench-results/`). Statuses: 74 % succeeded, 14 % failed, 6 % queuing, 2 % each cancelled and requeuing,',
    '1.5 % running, 0.5 % preparing; modes: 75 % train, 15 % val, 5 % test, 5 % none. Times are server time',
    '(the `LightningStore` call: planning, index reads, JSON of the page), p50 / p95 ms over 15 runs. The `/v1/agl`',
    'routes are not on this branch, so nothing here goes over HTTP.',
    '',
  );
  const filters = [
    ['no filter', {}],
    ['status failed (14 %)', { status_in: ['failed'] }],
    ['status running (1.5 %)', { status_in: ['running'] }],
    ['status queuing + requeuing', { status_in: ['queuing', 'requeuing'] }],
    ['mode val (15 %)', { mode_in: ['val'] }],
  ];
  lines.push(
    `#### Page of 100, \`offset=0\`, \`total\` included (target < 30 ms p95)`,
    '',
    `| sort | ${filters.map(([label]) => label).join(' | ')} |`,
    `| --- | ${filters.map(() => '---:').join(' | ')} |`,
  );
  const keys = [null, 'rollout_id', 'start_time', 'end_time', 'status', 'mode', 'resources_id', 'attempt_id'];
  keys.push('duration', 'last_heartbeat_time', 'worker_id', 'input');
  for (const key of keys) {
    for (const order of key === null ? ['asc'] : ['asc', 'desc']) {
      const row = [];
      for (const [label, filter] of filters) {
        const r = await timed(query({ sort_by: key, sort_order: order, ...filter }));
        row.push(cell(track(`${key ?? 'none'} ${order}, ${label}`, r)));
      }
      lines.push(`| ${key === null ? 'none (insertion order)' : `${key} ${order}`} | ${row.join(' | ')} |`);
    }
    log(`sorted by ${key}`);
  }
  lines.push('', `Slowest: ${worst.label} at ${fmt(worst.p95, 1)} ms p95.`, '');

  const sample = (await store.queryRollouts(query({ offset: Math.floor(N / 3), limit: 1 }))).items[0].rollout_id;
  lines.push(
    '#### `rollout_id_contains` (sorted by `start_time desc`, target < 50 ms p95)',
    '',
    '| needle | matches | p50 / p95 ms | with status failed | p50 / p95 ms |',
    '| --- | ---: | ---: | ---: | ---: |',
  );
  for (const length of [1, 2, 3, 4, 6, 12]) {
    const needle = sample.slice(3, 3 + length);
    const plain = await timed(query({ rollout_id_contains: needle, sort_by: 'start_time', sort_order: 'desc' }), 7);
    const failed = await timed(query({ rollout_id_contains: needle, sort_by: 'start_time', status_in: ['failed'] }), 7);
    lines.push(`| \`${needle}\` | ${fmt(plain.total)} | ${cell(plain)} | ${fmt(failed.total)} | ${cell(failed)} |`);
  }
  const miss = await timed(query({ rollout_id_contains: 'zzz' }), 7);
  lines.push(`| \`zzz\` (no match) | 0 | ${cell(miss)} | | |`, '');

  lines.push(
    '#### Deep pages (target: no slower than 2× the first page)',
    '',
    '| query | offset | p50 / p95 ms |',
    '| --- | ---: | ---: |',
  );
  const deep = [
    ['`start_time desc` (the dashboard default)', { sort_by: 'start_time', sort_order: 'desc' }, N],
    ['`end_time asc`', { sort_by: 'end_time', sort_order: 'asc' }, N],
    ['`worker_id desc`, status failed', { sort_by: 'worker_id', sort_order: 'desc', status_in: ['failed'] }, 0.14 * N],
    ['`status desc`', { sort_by: 'status', sort_order: 'desc' }, N],
  ];
  for (const [label, fields, size] of deep) {
    for (const fraction of [0, 0.1, 0.5, 0.9]) {
      const offset = Math.floor(size * fraction);
      lines.push(`| ${label} | ${fmt(offset)} | ${cell(await timed(query({ ...fields, offset }), 9))} |`);
    }
  }
  const stats = [];
  for (let i = 0; i < 9; i++) {
    const started = performance.now();
    await store.statistics();
    stats.push(performance.now() - started);
  }
  stats.sort((a, b) => a - b);
  lines.push('', `\`statistics\` (every count): ${fmt(stats[4], 2)} ms median.`, '');

  lines.push(
    '#### Write throughput as the store grows',
    '',
    'At every tenth of the way, 1,000 rollouts go through the real store operations, 32 at a time: enqueue, dequeue,',
    '4 × (`nextSpanSequenceId` + `addSpan`), attempt `succeeded` (after one unmeasured window of the same, which pays',
    'for the bulk step before it). Operations per second, each a durable transaction under group commit; the machine is',
    'shared, so single windows vary by ±30 %:',
    '',
    '| rollouts in store | enqueue/s | dequeue/s | span writes/s | completions/s |',
    '| ---: | ---: | ---: | ---: | ---: |',
  );
  for (const g of facts.growth) {
    lines.push(`| ${fmt(g.before)} | ${fmt(g.enqueue)} | ${fmt(g.dequeue)} | ${fmt(g.spans)} | ${fmt(g.complete)} |`);
  }
} finally {
  await store.close();
}
process.stdout.write(lines.join('\n') + '\n');
