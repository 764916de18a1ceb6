/**
 * The built store (`packages/server/dist/cli.js`, produced by `npm run build`) as a child process, for tests about
 * what only a real process shows: exit codes, signals, locks on a database file held by another process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { call } from './http.js';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface StoreProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` once listening. */
  url: string;
  port: number;
  /** stdout and stderr so far. */
  output: () => string;
  /** The exit code once the process has ended (null when killed by a signal). */
  exited: Promise<number | null>;
  api: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => ReturnType<typeof call>;
}

const children = new Set<ChildProcess>();

/** Kills every process started here that is still running (call from `afterEach`). */
export function killStoreProcesses(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Runs the CLI with a clean AGL_* environment plus `env` (on `port`, or a free one; in `cwd` when given); resolves
 * once it is listening, or rejects with its output.
 */
export async function startStoreProcess(
  args: string[],
  env: Record<string, string> = {},
  port?: number,
  cwd?: string,
): Promise<StoreProcess> {
  port ??= await freePort();
  const run = spawnCli([...args, '--host', '127.0.0.1', '--port', String(port)], env, cwd);
  const deadline = Date.now() + 15_000;
  while (!run.output().includes(`127.0.0.1:${port}`)) {
    if (run.child.exitCode !== null) throw new Error(`store exited with ${run.child.exitCode}: ${run.output()}`);
    if (Date.now() > deadline) throw new Error(`store did not start: ${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    ...run,
    url,
    port,
    api: (method, path, body, headers) => call(`${url}/agl/v1${path}`, method, body, headers),
  };
}

/** Spawns the CLI and returns at once (for runs that are expected to fail at start). */
export function spawnCli(
  args: string[],
  env: Record<string, string> = {},
): Pick<StoreProcess, 'child' | 'output' | 'exited'> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AGL_')));
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}
