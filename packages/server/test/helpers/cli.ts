/**
 * Test harness for the built command-line programs (`packages/server/dist/cli.js`, and `agl-demo` through the
 * demo package's tests): spawn one with a clean environment, wait for its banner, stop it, find free ports.
 * `npm test` builds before it tests; for a single file run `npx tsc -b packages/server packages/demo` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';

export const STORE_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  /** stdout + stderr so far. */
  output: () => string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

export interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Node options before the script, e.g. `--import` of a fault injector. */
  nodeArgs?: string[];
}

const children: ChildProcess[] = [];
afterEach(() => {
  // Only our own children, by handle; a test that failed midway must not leave a server listening.
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * Spawns `script` with `args`, without any AGL_* or npm_* variable of the environment running the tests (`npm test`
 * sets npm's), plus `options.env`.
 */
export function runCli(script: string, args: string[], options: CliOptions = {}): CliRun {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AGL_') && !key.toLowerCase().startsWith('npm_')),
  );
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
    env: { ...base, ...options.env },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Waits for the banner's `listening on http://host:port`; fails if the process exits first. */
export async function listening(run: CliRun, timeoutMs = 10_000): Promise<{ url: string; port: number }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /listening on http:\/\/([\w.:[\]-]+?):(\d+)/.exec(run.output());
    // The banner is written in one piece, so the whole of it is there once its first line is.
    if (match) return { url: `http://127.0.0.1:${match[2]}`, port: Number(match[2]) };
    if (run.child.exitCode !== null) throw new Error(`CLI exited with ${run.child.exitCode}: ${run.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`CLI did not report a listening URL: ${run.output()}`);
}

/** A port that was free a moment ago (bound on all interfaces, so it is free on loopback too). */
export function freePort(): Promise<number> {
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

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

/** Sends `signal` and expects a clean exit (code 0) that releases the port. */
export async function expectCleanStop(run: CliRun, signal: 'SIGINT' | 'SIGTERM', port: number): Promise<void> {
  run.child.kill(signal);
  expect(await run.exited).toBe(0);
  expect(await portIsFree(port)).toBe(true);
}

/**
 * A request with a chosen `Host` header (fetch does not let one set it), answering the status and text body.
 * `url` says where to connect.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.once('error', reject);
    req.end(options.body);
  });
}
