/**
 * Runs the real store (`packages/server/dist/cli.js`, which also serves the built dashboard) as a child process for
 * end-to-end tests, and talks to its `/agl/v1` API to seed data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../server/dist/cli.js', import.meta.url));

export interface StoreServer {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  port: number;
  /** Calls `/agl/v1{path}` and returns the parsed JSON body; throws on a non-2xx answer. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Stops the process (SIGTERM) and waits until the port is closed. */
  stop(): Promise<void>;
  /** Starts it again on the same port (in-memory data starts empty). */
  restart(): Promise<void>;
}

export interface StartStoreOptions {
  port?: number;
  /** Browser origins allowed by CORS (a dashboard served by another store). */
  corsOrigins?: string[];
  /** Starts the store with `--api-key <key>`; `api()` then sends it as a bearer token. */
  apiKey?: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function launch(
  port: number,
  { corsOrigins = [], apiKey }: StartStoreOptions,
): Promise<{ child: ChildProcess; url: string }> {
  const args = [CLI, '--memory', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  for (const origin of corsOrigins) args.push('--cors-origin', origin);
  if (apiKey !== undefined) args.push('--api-key', apiKey);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`store did not start within 15 s:\n${output}`)), 15_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume(); // keep draining so a chatty server never blocks on a full pipe
        resolve({ child, url: match[1].replace(/\/$/, '') });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => fail(new Error(`store exited (${code}) before listening:\n${output}`)));
  });
}

export async function startStore(options: StartStoreOptions = {}): Promise<StoreServer> {
  const fixedPort = options.port ?? (await freePort());
  let running = await launch(fixedPort, options);

  const server: StoreServer = {
    url: running.url,
    port: fixedPort,
    async api<T>(method: string, path: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (options.apiKey !== undefined) headers.Authorization = `Bearer ${options.apiKey}`;
      const response = await fetch(`${server.url}/agl/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
      return (text ? JSON.parse(text) : null) as T;
    },
    async stop() {
      const { child } = running;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
    async restart() {
      await server.stop();
      running = await launch(fixedPort, options);
    },
  };
  return server;
}
