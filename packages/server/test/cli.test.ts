/**
 * The built CLI (`packages/server/dist/cli.js`, produced by `npx tsc -b packages/server`; `npm test` builds first):
 * conformance H12 (port precedence) and H13 (port in use); every server is stopped with SIGINT or SIGTERM and must
 * exit 0 and release its port.
 * Every spawn uses `--memory` so no database file lands in the working tree.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { call } from './helpers/http.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

interface CliRun {
  child: ChildProcess;
  /** stdout + stderr so far. */
  output: () => string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  // Only our own children, by handle; a test that failed midway must not leave a server listening.
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Spawns the CLI with a clean AGL_* environment plus `env`. */
function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AGL_')));
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Waits for the `http://host:port` line the CLI prints once listening; fails if the process exits first. */
async function listening(run: CliRun, timeoutMs = 10_000): Promise<{ url: string; port: number }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /http:\/\/([\w.:[\]-]+?):(\d+)/.exec(run.output());
    if (match) return { url: `http://127.0.0.1:${match[2]}`, port: Number(match[2]) };
    if (run.child.exitCode !== null) throw new Error(`CLI exited with ${run.child.exitCode}: ${run.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`CLI did not report a listening URL: ${run.output()}`);
}

/** A port that was free a moment ago (bound on all interfaces, so it is free on loopback too). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/** Sends `signal` and expects a clean exit (code 0) that releases the port. */
async function expectCleanStop(run: CliRun, signal: 'SIGINT' | 'SIGTERM', port: number): Promise<void> {
  run.child.kill(signal);
  expect(await run.exited).toBe(0);
  expect(await portIsFree(port)).toBe(true);
}

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
});
