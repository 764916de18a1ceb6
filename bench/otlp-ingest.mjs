#!/usr/bin/env node
// OTLP ingestion benchmark: 512-span batches into the real server on a durable SQLite store (a separate process),
// (1) through the official protobuf exporter, (2) as the exporter's serialised bodies posted with undici (server
// capacity without the client's span-building cost), (3) 2,000,000 spans streamed while the server's RSS is sampled.
// Every acknowledged span is counted in the database afterwards. Then a second, shorter run under `--cpu-prof` says
// where the server's time goes. Prints a markdown section on stdout.
// Usage: node bench/otlp-ingest.mjs [--quick] [--no-profile]
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { summarizeProfile } from './cpu-profile.mjs';
import { BATCH, IN_FLIGHT, ROLLOUTS, drive, fmt, log, openIngest, rssMiB, startServer } from './otlp-harness.mjs';

const quick = process.argv.includes('--quick');
const EXPORTED = (quick ? 50 : 400) * BATCH;
const POSTED = (quick ? 50 : 400) * BATCH;
const STREAMED = quick ? 200_000 : 2_000_000;
const PROFILED = (quick ? 50 : 200) * BATCH;

const dir = mkdtempSync(join(tmpdir(), 'agl-otlp-bench-'));
const lines = [];
const loadAtStart = loadavg()[0];
try {
  const dbPath = join(dir, 'bench.db');
  const server = await startServer(dbPath);
  const ingest = await openIngest(server.url);
  try {
    lines.push(
      `Batches of ${BATCH} SDK spans (an LLM call with prompt, completion and 48 token ids, and a tool call under`,
      `it; ${fmt(ingest.sampleBytes / BATCH)} bytes per span in protobuf), ${ROLLOUTS} rollouts, ${IN_FLIGHT} requests`,
      'in flight; the server and the load generator share the 2 cores. A span counts once its request was answered',
      '200, which the server does after the commit. The last column is what one fully used core would sustain.',
      '',
      '| phase | spans | seconds | spans/s | server CPU per span | spans per server CPU-second |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
    );
    const row = (label, r) =>
      lines.push(
        `| ${label} | ${fmt(r.spans)} | ${fmt(r.seconds, 1)} | ${fmt(r.spans / r.seconds)} | ` +
          `${fmt((1e6 * r.cpu) / r.spans)} µs | ${fmt(r.spans / r.cpu)} |`,
      );

    // (1) The official exporter, building and serialising spans as a runner would.
    const exporters = Array.from(
      { length: IN_FLIGHT },
      () => new OTLPTraceExporter({ url: `${server.url}/v1/traces` }),
    );
    let turn = 0;
    const exported = await drive(server.child.pid, EXPORTED, async () => {
      const exporter = exporters[turn++ % IN_FLIGHT];
      const result = await new Promise((resolve) => exporter.export(ingest.source.batch(), resolve));
      if (result.code !== 0) throw result.error ?? new Error('export failed');
      ingest.acknowledged += BATCH;
    });
    await Promise.all(exporters.map((e) => e.shutdown()));
    row('official proto exporter (`@opentelemetry/exporter-trace-otlp-proto`)', exported);
    log(`exporter: ${fmt(exported.spans / exported.seconds)} spans/s`);

    // (2) The same bodies, serialised beforehand: what the server alone sustains.
    const bodies = Array.from({ length: POSTED / BATCH }, () => ingest.source.body());
    const posted = await drive(server.child.pid, POSTED, () => ingest.post(bodies.pop()));
    row('pre-serialised exporter bodies posted with undici', posted);
    log(`posted: ${fmt(posted.spans / posted.seconds)} spans/s`);

    // (3) A long stream, bodies built as it goes, with the server's memory sampled every second.
    const samples = [];
    const startRss = rssMiB(server.child.pid);
    const before = ingest.acknowledged;
    const timer = setInterval(
      () => samples.push({ spans: ingest.acknowledged - before, rss: rssMiB(server.child.pid) }),
      1000,
    );
    const streamed = await drive(server.child.pid, STREAMED, () => ingest.post(ingest.source.body()));
    clearInterval(timer);
    row(`stream of ${fmt(STREAMED)} spans`, streamed);
    log(`stream: ${fmt(streamed.spans / streamed.seconds)} spans/s`);
    lines.push('', `### Server memory while ${fmt(STREAMED)} spans stream in`, '');
    lines.push('| spans of the stream stored | server RSS (MiB) |', '| ---: | ---: |', `| 0 | ${fmt(startRss)} |`);
    for (const fraction of [0.1, 0.25, 0.5, 0.75, 1]) {
      const sample = samples.find((s) => s.spans >= fraction * STREAMED) ?? samples.at(-1);
      lines.push(`| ${fmt(sample.spans)} | ${fmt(sample.rss)} |`);
    }
    const peak = Math.max(...samples.map((s) => s.rss));
    lines.push('', `Peak RSS during the stream: ${fmt(peak)} MiB (${samples.length} samples, one per second).`);
  } finally {
    await ingest.close();
    await server.stop();
  }
  const stored = new Database(dbPath, { readonly: true }).prepare('SELECT COUNT(*) AS n FROM spans').get().n;
  lines.push('', `Spans in the database afterwards: ${fmt(stored)}; acknowledged: ${fmt(ingest.acknowledged)}.`);
  if (stored !== ingest.acknowledged) lines.push('', '**Mismatch: acknowledged spans are missing from the database.**');

  // Other work on the machine shows in every figure above: say how busy it was.
  lines.push('', `Load average (1 min) at the start: ${fmt(loadAtStart, 1)}; at the end: ${fmt(loadavg()[0], 1)}.`);
  if (!process.argv.includes('--no-profile')) lines.push('', ...(await profiledRun(join(dir, 'profile'))));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(lines.join('\n') + '\n');

/** A fresh server under `--cpu-prof` ingesting pre-serialised batches; its profile, summarised. */
async function profiledRun(profileDir) {
  const server = await startServer(join(dir, 'profiled.db'), profileDir);
  const ingest = await openIngest(server.url);
  let run;
  try {
    const bodies = Array.from({ length: PROFILED / BATCH }, () => ingest.source.body());
    run = await drive(server.child.pid, PROFILED, () => ingest.post(bodies.pop()));
  } finally {
    await ingest.close();
    await server.stop();
  }
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  return [
    `### Where the server's CPU goes (${fmt(PROFILED)} pre-serialised spans under \`--cpu-prof\`, ${fmt(run.spans / run.seconds)} spans/s)`,
    '',
    ...summarizeProfile(join(profileDir, file)),
  ];
}
