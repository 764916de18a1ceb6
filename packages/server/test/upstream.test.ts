/**
 * Dashboard-only mode (`--upstream`): a second store process is the upstream; this server stores nothing, serves the
 * dashboard, and streams every API request through — bodies, long polls, ETags and the upstream's own errors — while
 * keeping the browser-facing defences. An unreachable upstream gets a 502 naming it.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildUpstreamApp, type UpstreamAppOptions } from '../src/upstream.js';
import { spanBody } from './conformance/fixtures.js';
import { call, sleep } from './helpers/http.js';
import { startProgram } from '../../../scripts/lib/store-process.mjs';
import { STORE_CLI, freePort, runCli, startStoreProcess, type StoreProcess } from './helpers/cli.js';

let upstream: StoreProcess;
let proxy: FastifyInstance | undefined;
let proxyUrl: string;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agl-upstream-'));
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function startProxy(options: Partial<UpstreamAppOptions> = {}): Promise<void> {
  const staticDir = join(dir, 'public');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>dashboard</title>');
  proxy = await buildUpstreamApp({ upstream: upstream.url, staticDir, bindHost: '127.0.0.1', ...options });
  await proxy.listen({ host: '127.0.0.1', port: 0 });
  const address = proxy.server.address();
  proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

const viaProxy = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  call(`${proxyUrl}${path}`, method, body, headers);

describe('dashboard-only mode', () => {
  it('forwards both protocol generations and answers what the upstream answers, errors included', async () => {
    upstream = await startStoreProcess();
    await startProxy();
    expect((await viaProxy('GET', '/agl/v1/health')).body).toEqual({ status: 'ok' });
    const enqueued = await viaProxy('POST', '/agl/v1/queues/rollouts/enqueue', { input: { q: 1 } });
    expect(enqueued.status).toBe(201);
    // It is in the upstream, not here.
    expect((await upstream.api('GET', `/rollouts/${enqueued.body.rollout_id}`)).body.input).toEqual({ q: 1 });
    // The upstream's errors reach the client as the upstream gave them.
    const missing = await viaProxy('POST', '/agl/v1/rollouts/ro-000000000000', { status: 'cancelled' });
    expect([missing.status, missing.body]).toEqual([404, { detail: 'Rollout ro-000000000000 not found' }]);
    const invalid = await viaProxy('POST', '/agl/v1/queues/rollouts/enqueue', { mode: 'bad' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.detail[0].loc).toEqual(['body', 'input']);
    // The dashboard is served here.
    expect((await fetch(`${proxyUrl}/rollouts`)).headers.get('content-type')).toMatch(/text\/html/);
  });

  it('passes ETags and 304s through, and streams a 32 MiB span and a compressed list', async () => {
    upstream = await startStoreProcess();
    await startProxy();
    const started = await viaProxy('POST', '/agl/v1/rollouts', { input: 1 });
    const payload = 'y'.repeat(32 * 1024 * 1024);
    const span = spanBody(started.body.rollout_id, started.body.attempt.attempt_id, 1, { attributes: { payload } });
    const stored = await viaProxy('POST', '/agl/v1/spans', span);
    expect(stored.status).toBe(201);
    expect(stored.body.attributes.payload).toHaveLength(payload.length);
    const first = await fetch(`${proxyUrl}/agl/v1/spans?rollout_id=${started.body.rollout_id}`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(first.headers.get('content-encoding')).toBe('gzip');
    const spans = (await first.json()) as Array<{ attributes: { payload: string } }>;
    expect(spans[0]!.attributes.payload).toHaveLength(payload.length);
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${proxyUrl}/agl/v1/spans?rollout_id=${started.body.rollout_id}`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  }, 60_000);

  it('holds a long-poll wait open until the upstream answers it', async () => {
    upstream = await startStoreProcess();
    await startProxy();
    const started = await viaProxy('POST', '/agl/v1/rollouts', { input: 1 });
    const rid = started.body.rollout_id as string;
    const waiting = viaProxy('POST', '/agl/v1/waits/rollouts', { rollout_ids: [rid], timeout: 20 });
    await sleep(1500);
    await upstream.api('POST', `/rollouts/${rid}`, { status: 'succeeded' });
    const waited = await waiting;
    expect(waited.body).toMatchObject([{ rollout_id: rid, status: 'succeeded' }]);
  }, 30_000);

  it('keeps the browser-facing defences: a cross-origin write is refused here, a same-origin one goes through', async () => {
    upstream = await startStoreProcess();
    await startProxy();
    const evil = await viaProxy('POST', '/agl/v1/queues/rollouts/dequeue', undefined, {
      origin: 'http://evil.example',
    });
    expect(evil.status).toBe(403);
    // The dashboard on this origin: its Origin is this server's, which the upstream would not recognise.
    const own = await viaProxy('POST', '/agl/v1/queues/rollouts/enqueue', { input: 1 }, { origin: proxyUrl });
    expect(own.status).toBe(201);
  });

  it('with a key, checks it here (health open) and forwards it to an upstream that wants it too', async () => {
    upstream = await startStoreProcess({ args: ['--api-key', 'k1'] });
    await startProxy({ apiKey: 'k1' });
    expect((await viaProxy('GET', '/agl/v1/health')).status).toBe(200);
    expect((await viaProxy('GET', '/agl/v1/rollouts')).status).toBe(401);
    expect((await viaProxy('GET', '/%61gl/v1/rollouts')).status).toBe(401);
    const ok = await viaProxy('GET', '/agl/v1/rollouts', undefined, { authorization: 'Bearer k1' });
    expect([ok.status, ok.body]).toEqual([200, []]);
  });

  it('answers 502 naming the upstream while it is down, and recovers when it is back', async () => {
    const port = await freePort();
    upstream = await startStoreProcess({ port });
    await startProxy();
    upstream.child.kill('SIGKILL');
    await upstream.exited;
    const down = await viaProxy('GET', '/agl/v1/rollouts');
    expect(down.status).toBe(502);
    expect(down.body.detail).toBe(`The upstream store at http://127.0.0.1:${port} did not answer (ECONNREFUSED)`);
    upstream = await startStoreProcess({ port });
    expect((await viaProxy('GET', '/agl/v1/rollouts')).status).toBe(200);
  }, 30_000);
});

describe('agl-store --upstream', () => {
  it('stores nothing, says so, and refuses a storage flag next to it', async () => {
    upstream = await startStoreProcess();
    // Straight from the launcher: the test helper adds --memory, which --upstream refuses.
    const run = await startProgram(STORE_CLI, ['--upstream', upstream.url], { cwd: dir });
    const api = (method: string, path: string, body?: unknown) => call(`${run.url}/agl/v1${path}`, method, body);
    expect(run.output()).toContain(`the API is forwarded to ${upstream.url}`);
    expect((await api('POST', '/queues/rollouts/enqueue', { input: 7 })).status).toBe(201);
    await run.stop();
    expect(readdirSync(dir).filter((name) => name.includes('.db'))).toEqual([]);
    expect(existsSync(join(dir, 'agl-store.db'))).toBe(false);

    const both = runCli(STORE_CLI, ['--upstream', upstream.url, '--db', join(dir, 'x.db')]);
    expect(await both.exited).toBe(2);
    expect(both.output()).toMatch(/--upstream stores nothing here, so --db has no effect/);
    const bad = runCli(STORE_CLI, ['--upstream', 'python-store:4747']);
    expect(await bad.exited).toBe(2);
  }, 30_000);
});
