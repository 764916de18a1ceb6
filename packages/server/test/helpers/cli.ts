/**
 * The built command-line programs in Vitest tests — the store (`packages/server/dist/cli.js`) and, through the demo
 * package's tests, `agl-demo` — for what only a real process shows: banners, exit codes, signals, environment
 * variables, locks held by another process. Processes come from the repository's one launcher
 * (`scripts/lib/store-process.mjs`); this adds Vitest's part: every process a test started is killed after it.
 * `npm test` builds before it tests; for a single file run `npx tsc -b packages/server packages/demo` first.
 */
import { request } from 'node:http';
import { afterEach, expect } from 'vitest';
import {
  DEMO_CLI,
  STORE_CLI,
  freePort,
  portIsFree,
  spawnProgram,
  startStore,
  waitForListening,
  type ProgramRun,
  type RunningProgram,
  type SpawnOptions,
  type StartStoreOptions,
} from '../../../../scripts/lib/store-process.mjs';
import { call } from './http.js';

export { DEMO_CLI, STORE_CLI, freePort, portIsFree };
export type CliRun = ProgramRun;
export type CliOptions = SpawnOptions;

export interface StoreProcess extends RunningProgram {
  /** One JSON request to this store's `/agl/v1{path}` (see `call`). */
  api: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => ReturnType<typeof call>;
}

const started: ProgramRun[] = [];

/** SIGKILLs what this file's tests started and is still running (also done after every test). */
export function killStoreProcesses(): void {
  // Only our own children, by handle; a test that failed midway must not leave a server listening.
  for (const run of started.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  }
}
afterEach(killStoreProcesses);

/** Spawns `script` with `args`, a clean environment (no AGL_* or npm_* variable) plus `options.env`; returns at once. */
export function runCli(script: string, args: string[], options: CliOptions = {}): CliRun {
  const run = spawnProgram(script, args, options);
  started.push(run);
  return run;
}

/** Waits for the banner's `listening on http://host:port`; fails if the process exits first. */
export async function listening(run: CliRun, timeoutMs = 10_000): Promise<{ url: string; port: number }> {
  const { url, port } = await waitForListening(run, timeoutMs);
  return { url, port };
}

/** The built store on a free loopback port (in memory unless `db` is given), resolved once it listens. */
export async function startStoreProcess(options: StartStoreOptions = {}): Promise<StoreProcess> {
  const store = await startStore(options);
  started.push(store);
  return { ...store, api: (method, path, body, headers) => call(`${store.url}/agl/v1${path}`, method, body, headers) };
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
