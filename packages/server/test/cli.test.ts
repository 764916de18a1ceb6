/**
 * The built CLI (`packages/server/dist/cli.js`, produced by `npx tsc -b packages/server`; `npm test` builds first):
 * conformance H12 (port precedence) and H13 (port in use), and what a person sees on start; every server is
 * stopped with SIGINT or SIGTERM and must exit 0 and release its port. Usage mistakes are in cli-usage.test.ts,
 * each flag and environment variable in cli-options.test.ts.
 * Every spawn uses `--memory` so no database file lands in the working tree.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { call } from './helpers/http.js';
import { expectCleanStop, freePort, listening, portIsFree, runCli as run, STORE_CLI } from './helpers/cli.js';

const runCli = (args: string[], env: Record<string, string> = {}) => run(STORE_CLI, args, { env });

describe('CLI', () => {
  it('H12 without --port the server listens on AGL_SERVER_PORT', async () => {
    const port = await freePort();
    const run = runCli(['--memory', '--host', '127.0.0.1'], { AGL_SERVER_PORT: String(port) });
    const { url, port: reported } = await listening(run);
    expect(reported).toBe(port);
    expect((await call(`${url}/agl/v1/health`, 'GET')).body).toEqual({ status: 'ok' });
    await expectCleanStop(run, 'SIGTERM', port);
  });

  it('H12 --port takes precedence over AGL_SERVER_PORT', async () => {
    const [envPort, flagPort] = [await freePort(), await freePort()];
    const run = runCli(['--memory', '--host', '127.0.0.1', '--port', String(flagPort)], {
      AGL_SERVER_PORT: String(envPort),
    });
    expect((await listening(run)).port).toBe(flagPort);
    expect(
      (await call(`http://127.0.0.1:${flagPort}/agl/v1/queues/rollouts/enqueue`, 'POST', { input: 1 })).status,
    ).toBe(201);
    await expectCleanStop(run, 'SIGINT', flagPort);
  });

  it('H12 with neither --port nor AGL_SERVER_PORT the server uses 4747', async () => {
    // 4747 may be held by someone else on a shared machine: then the CLI must fail naming 4747, which still
    // proves the default it tried.
    const free = await portIsFree(4747);
    const run = runCli(['--memory', '--host', '127.0.0.1']);
    if (free) {
      expect((await listening(run)).port).toBe(4747);
      expect((await call('http://127.0.0.1:4747/agl/v1/health', 'GET')).status).toBe(200);
      await expectCleanStop(run, 'SIGTERM', 4747);
    } else {
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain('4747');
    }
  });

  it('H13 a second server on a port in use exits 1 with an error naming the port', async () => {
    const port = await freePort();
    const first = runCli(['--memory', '--host', '127.0.0.1', '--port', String(port)]);
    await listening(first);
    const second = runCli(['--memory', '--host', '127.0.0.1', '--port', String(port)]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(String(port));
    // The first server is unaffected.
    expect((await call(`http://127.0.0.1:${port}/agl/v1/health`, 'GET')).status).toBe(200);
    await expectCleanStop(first, 'SIGTERM', port);
  });

  it('prints only its banner: no "Server listening" log line of its own, no JSON', async () => {
    const port = await freePort();
    const run = runCli(['--memory', '--port', String(port)]);
    const { url } = await listening(run);
    await call(`${url}/agl/v1/health`, 'GET');
    await new Promise((resolve) => setTimeout(resolve, 200)); // anything logged after listening has arrived
    // Without a dashboard build (a server-only build) the store says so; that line is the only one allowed.
    const lines = run
      .output()
      .split('\n')
      .filter((line) => !line.includes('no dashboard build'));
    expect(lines).toEqual([
      `LightningStore listening on http://127.0.0.1:${port}`,
      '  storage:   in memory (nothing is kept after exit)',
      `  dashboard: http://127.0.0.1:${port}/`,
      `  API docs:  http://127.0.0.1:${port}/docs`,
      '',
    ]);
    await expectCleanStop(run, 'SIGINT', port);
  });

  it('a Ctrl-C that arrives twice at once (terminal and npm both send it) still stops cleanly', async () => {
    const port = await freePort();
    const run = runCli(['--memory', '--port', String(port)]);
    await listening(run);
    // A connection that never sends a request holds the close for its grace period, so the repeat lands mid-stop.
    const idle = connect(port, '127.0.0.1');
    await new Promise((resolve) => idle.once('connect', resolve));
    run.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    idle.destroy();
  });
});
