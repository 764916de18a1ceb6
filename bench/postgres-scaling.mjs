#!/usr/bin/env node
// PostgreSQL benchmark: the runner loop on 1, 2 and 3 store servers sharing one PostgreSQL database next to one
// server on SQLite (same run, same machine), the CPU each request costs the servers and PostgreSQL (the figures
// docs/scaling.md projects from), reading the spans of one attempt with 10M spans stored, and v0.3 rollout queries
// over 1M rollouts. PostgreSQL runs with its durable defaults (fsync, synchronous commit) in a throwaway cluster.
// Prints a markdown section on stdout. Usage: node bench/postgres-scaling.mjs [--quick]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDatabase, startPgCluster } from '../packages/server/test/helpers/pg-cluster.mjs';

const root = new URL('..', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const perRun = quick ? 1000 : 4000;
const spanTotal = quick ? 1_000_000 : 10_000_000;
const rolloutTotal = quick ? 100_000 : 1_000_000;
const log = (line) => process.stderr.write(`${line}\n`);
const fmt = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const { PostgresEngine } = await import(join(root, 'packages/server/dist/storage/postgres/engine.js'));

/** The built store on `db` (a SQLite path or a postgres:// URL); resolves once it listens. */
async function startServer(db, port) {
  const cli = join(root, 'packages/server/dist/cli.js');
  const child = spawn(process.execPath, [cli, '--db', db, '--port', String(port), '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => String(chunk).includes('listening on') && resolve());
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return child;
}

/** CPU seconds used so far by a process and the children it has reaped (PostgreSQL's backends). */
function cpuSeconds(pid, withChildren = false) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]) + (withChildren ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks / 100;
}

/** CPU seconds of the whole PostgreSQL cluster: the postmaster with its reaped children, plus live backends. */
function clusterCpu(postmasterPid) {
  let total = cpuSeconds(postmasterPid, true);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.split(') ')[1].split(' ')[1] === String(postmasterPid)) total += cpuSeconds(Number(entry));
    } catch {
      // The process ended meanwhile; its time is in the postmaster's children total.
    }
  }
  return total;
}

function load(urls, ...args) {
  const out = execFileSync(
    process.execPath,
    [join(root, 'bench/load-runner.mjs'), args[0], urls, ...args.slice(1).map(String)],
    {
      maxBuffer: 1 << 24,
    },
  );
  return JSON.parse(String(out).trim().split('\n').at(-1));
}

const lines = [];
const cluster = await startPgCluster({
  settings: { shared_buffers: '512MB', max_wal_size: '8GB', checkpoint_timeout: '30min' },
});
const postmaster = Number(readFileSync(join(cluster.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
const dir = mkdtempSync(join(tmpdir(), 'agl-pgbench-'));
let port = 5100 + Math.floor(Math.random() * 400);
try {
  lines.push(`### Runner loop on PostgreSQL, 1–3 servers, next to SQLite (${fmt(perRun)} rollouts per run)`, '');
  lines.push(
    'Loop A (`/agl/v1`): dequeue → attempt update → 4 × (`spans/next` + `POST /spans`) → `succeeded` (11 requests). ' +
      'Runners are spread over the servers as a load balancer would; everything — servers, PostgreSQL and the load ' +
      'generator — shares the same 2 cores. CPU columns: CPU time per HTTP request.',
    '',
  );
  lines.push(
    '| store | servers | runners (C) | rollouts/s | requests/s | p50 ms | p99 ms | server CPU µs/req | PostgreSQL CPU µs/req | WAL KiB/rollout |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  const configs = [
    { kind: 'sqlite', servers: 1 },
    { kind: 'postgres', servers: 1 },
    { kind: 'postgres', servers: 2 },
    { kind: 'postgres', servers: 3 },
  ];
  for (const config of configs) {
    const db = config.kind === 'sqlite' ? join(dir, 'bench.db') : await createDatabase(cluster.adminUrl, 'agl_bench');
    const children = [];
    const servers = [];
    for (let i = 0; i < config.servers; i++) {
      children.push(await startServer(db, ++port));
      servers.push(`http://127.0.0.1:${port}`);
    }
    const urls = servers.join(',');
    try {
      for (const c of [32, 128]) {
        load(urls, 'enqueue', perRun, 64);
        const serverBefore = children.reduce((sum, child) => sum + cpuSeconds(child.pid), 0);
        const pgBefore = config.kind === 'postgres' ? clusterCpu(postmaster) : 0;
        const walBefore = await walBytes();
        const r = load(urls, 'runners', c, `w${c}`);
        const serverCpu = children.reduce((sum, child) => sum + cpuSeconds(child.pid), 0) - serverBefore;
        const pgCpu = config.kind === 'postgres' ? clusterCpu(postmaster) - pgBefore : 0;
        const wal = config.kind === 'postgres' ? fmt(((await walBytes()) - walBefore) / r.rollouts / 1024, 1) : '–';
        const perRequest = (seconds) => fmt((seconds / r.requests) * 1e6);
        log(`${config.kind} ×${config.servers} C=${c}: ${fmt(r.rollouts / r.seconds)} rollouts/s`);
        lines.push(
          `| ${config.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${config.servers} | ${c} | ${fmt(r.rollouts / r.seconds)} | ` +
            `${fmt(r.requests / r.seconds)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${perRequest(serverCpu)} | ` +
            `${config.kind === 'postgres' ? perRequest(pgCpu) : '–'} | ${wal} |`,
        );
      }
    } finally {
      for (const child of children) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
  }

  lines.push('', ...(await spansAtVolume(await createDatabase(cluster.adminUrl, 'agl_spans'))));
  lines.push('', ...(await rolloutQueries(await createDatabase(cluster.adminUrl, 'agl_rollouts'))));
} finally {
  cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(lines.join('\n') + '\n');

/** Bytes written to PostgreSQL's write-ahead log so far (the whole cluster). */
async function walBytes() {
  const result = await sql(cluster.adminUrl, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS bytes");
  return result.rows[0].bytes;
}

/** Median of `runs` timings of `fn` in ms, after one warm-up call. */
async function median(fn, runs = 9) {
  await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

async function sql(url, text) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** 10M spans in 100k attempts of 100 spans; reads of one attempt's spans through the engine. */
async function spansAtVolume(url) {
  await (await PostgresEngine.open(url)).close();
  const attempts = spanTotal / 100;
  log(`inserting ${fmt(spanTotal)} spans…`);
  const started = performance.now();
  // Spans of an attempt arrive over time, interleaved with every other attempt's: i % attempts picks the attempt,
  // so the rows of one attempt lie scattered over the whole table, as in a real store.
  await sql(
    url,
    `INSERT INTO spans (rollout_id, attempt_id, span_id, sequence_id, trace_id, parent_id, name, status_code,
       start_time, end_time, doc)
     SELECT 'ro-' || lpad(to_hex(i % ${attempts}), 12, '0'), 'at-00000001', md5(i::text), i / ${attempts} + 1,
       md5((i % ${attempts})::text), NULL, 'openai.chat.completion', 'OK', 1700000000 + i, 1700000000.5 + i,
       '{"rollout_id":"ro-' || lpad(to_hex(i % ${attempts}), 12, '0') || '","attempt_id":"at-00000001","sequence_id":' ||
       (i / ${attempts} + 1) || ',"trace_id":"' || md5((i % ${attempts})::text) || '","span_id":"' || md5(i::text) ||
       '","parent_id":null,"name":"openai.chat.completion","status":{"status_code":"OK","description":null},' ||
       '"attributes":{"gen_ai.request.model":"qwen2.5-1.5b","gen_ai.usage.prompt_tokens":112,' ||
       '"gen_ai.usage.completion_tokens":38},"events":[],"links":[],"start_time":' || (1700000000 + i) ||
       ',"end_time":' || (1700000000.5 + i) || ',"context":null,"parent":null,' ||
       '"resource":{"attributes":{"service.name":"bench"},"schema_url":""}}'
     FROM generate_series(0, ${spanTotal - 1}) AS i`,
  );
  await sql(url, 'VACUUM ANALYZE spans');
  const loadSeconds = (performance.now() - started) / 1000;
  const size = (await sql(url, "SELECT pg_size_pretty(pg_total_relation_size('spans')) AS size")).rows[0].size;
  const engine = await PostgresEngine.open(url);
  const pick = () =>
    `ro-${Math.floor(Math.random() * attempts)
      .toString(16)
      .padStart(12, '0')}`;
  const attemptRead = await median(() => engine.read((r) => r.listSpans(pick(), 'at-00000001')), 21);
  const rolloutRead = await median(() => engine.read((r) => r.listSpans(pick(), null)), 21);
  const pageRead = await median(
    () =>
      engine.read((r) =>
        r.querySpans({
          rollout_id: pick(),
          attempt_id: 'at-00000001',
          limit: 20,
          offset: 0,
          sort_by: 'start_time',
          sort_order: 'desc',
          filter_logic: 'and',
          trace_id: null,
          trace_id_contains: null,
          span_id: null,
          span_id_contains: null,
          parent_id: null,
          parent_id_contains: null,
          name: null,
          name_contains: null,
        }),
      ),
    21,
  );
  await engine.close();
  log(`spans: attempt read ${fmt(attemptRead, 2)} ms`);
  return [
    `### Spans at volume: ${fmt(spanTotal)} spans stored (${size} with indexes)`,
    '',
    `${fmt(attempts)} attempts of 100 spans each, written interleaved (loaded in ${fmt(loadSeconds)} s by one SQL ` +
      'statement). Each read is of a random attempt, cold or warm as it comes; median of 21.',
    '',
    '| read | median ms | target |',
    '| --- | ---: | --- |',
    `| spans of one attempt (100 spans, \`GET /spans?rollout_id&attempt_id\`) | ${fmt(attemptRead, 2)} | < 20 ms |`,
    `| spans of one rollout (all attempts) | ${fmt(rolloutRead, 2)} | |`,
    `| v0.3 page: 20 spans of one attempt by start_time desc, with total | ${fmt(pageRead, 2)} | |`,
  ];
}

/** 1M rollouts (statuses and modes mixed, half with an attempt); v0.3 queries through the engine. */
async function rolloutQueries(url) {
  await (await PostgresEngine.open(url)).close();
  log(`inserting ${fmt(rolloutTotal)} rollouts…`);
  const statuses = "(ARRAY['queuing','running','succeeded','failed','preparing','requeuing','cancelled'])";
  await sql(
    url,
    `INSERT INTO rollouts (rollout_id, status, doc, latest_seq, latest_doc, due_at, txid, start_time, end_time, mode,
       resources_id, latest_attempt_id, latest_worker_id, latest_heartbeat, duration)
     SELECT 'ro-' || lpad(to_hex(i), 12, '0'), ${statuses}[1 + i % 7],
       '{"rollout_id":"ro-' || lpad(to_hex(i), 12, '0') || '","input":{"task":' || i || '},"start_time":' ||
       (1700000000 + i) || ',"end_time":null,"mode":"train","resources_id":null,"status":"' || ${statuses}[1 + i % 7] ||
       '","config":{},"metadata":{}}',
       CASE WHEN i % 2 = 0 THEN 1 END,
       CASE WHEN i % 2 = 0 THEN '{"rollout_id":"ro-' || lpad(to_hex(i), 12, '0') || '","attempt_id":"at-' ||
         substr(md5(i::text), 1, 8) || '","sequence_id":1}' END,
       NULL, 1, 1700000000 + i, CASE WHEN i % 3 = 0 THEN 1700000100 + i END,
       (ARRAY['train','val','test'])[1 + i % 3], NULL,
       CASE WHEN i % 2 = 0 THEN 'at-' || substr(md5(i::text), 1, 8) END,
       CASE WHEN i % 2 = 0 THEN 'w-' || (i % 64) END, NULL, CASE WHEN i % 3 = 0 THEN 100 END
     FROM generate_series(1, ${rolloutTotal}) AS i`,
  );
  // What the engine's writes would have counted (queries without a filter take their total from it).
  await sql(url, `INSERT INTO agl_counters (kind, shard, value) VALUES ('count:rollouts', 0, ${rolloutTotal})`);
  await sql(url, 'VACUUM ANALYZE rollouts');
  const engine = await PostgresEngine.open(url);
  const base = {
    limit: 100,
    offset: 0,
    sort_by: null,
    sort_order: 'asc',
    filter_logic: 'and',
    status_in: null,
    rollout_id_in: null,
    rollout_id_contains: null,
    mode_in: null,
  };
  const cases = [
    ['first page, insertion order', {}],
    ['first page by start_time desc (the dashboard default)', { sort_by: 'start_time', sort_order: 'desc' }],
    [
      'status_in [running, failed], by start_time desc',
      { status_in: ['running', 'failed'], sort_by: 'start_time', sort_order: 'desc' },
    ],
    ['page 100 (offset 9,900) by start_time', { sort_by: 'start_time', offset: 9900 }],
    ['rollout_id_contains "abc"', { rollout_id_contains: 'abc' }],
    ['by duration desc (latest attempt)', { sort_by: 'duration', sort_order: 'desc' }],
    [
      'status_in [failed] or mode_in [val], by worker_id',
      { status_in: ['failed'], mode_in: ['val'], filter_logic: 'or', sort_by: 'worker_id' },
    ],
  ];
  const rows = [];
  for (const [label, query] of cases) {
    const ms = await median(() => engine.read((r) => r.queryRollouts({ ...base, ...query })), 7);
    rows.push(`| ${label} | ${fmt(ms, 1)} |`);
    log(`rollouts: ${label} ${fmt(ms, 1)} ms`);
  }
  await engine.close();
  return [
    `### v0.3 rollout queries over ${fmt(rolloutTotal)} rollouts (PostgreSQL)`,
    '',
    'Through the engine (no HTTP), 100 items per page with the total count of matches; median of 7.',
    '',
    '| query | ms |',
    '| --- | ---: |',
    ...rows,
  ];
}
