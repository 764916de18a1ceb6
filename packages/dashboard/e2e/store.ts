/**
 * The real store (`packages/server/dist/cli.js`, which also serves the built dashboard) as a child process for
 * end-to-end tests, started by the repository's one launcher (`scripts/lib/store-process.mjs`), with a typed
 * `@agl/client` on it for seeding data the way trainers and runners write it.
 */
import { LightningStoreClient } from '@agl/client';
import { freePort, startStore as launch, type RunningProgram } from '../../../scripts/lib/store-process.mjs';

export { freePort };

export interface StoreServer {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  port: number;
  /** The typed client on this store (with its API key, if any), for seeding and reading back. No retries. */
  client: LightningStoreClient;
  /**
   * Calls `/agl/v1{path}` and returns the parsed JSON body; throws on a non-2xx answer.
   * @deprecated Seed through `client`; this stays for tests whose point is the raw HTTP exchange.
   */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Stops the process (SIGTERM) and waits until it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port (in-memory data starts empty). */
  restart(): Promise<void>;
}

export interface StartStoreOptions {
  port?: number;
  /** Browser origins allowed by CORS (a dashboard served by another store). */
  corsOrigins?: string[];
  /** Starts the store with `--api-key <key>`; `client` and `api()` then send it as a bearer token. */
  apiKey?: string;
  /** Node options before the CLI, e.g. `['--import', faultInjector]` for a store that fails on purpose. */
  nodeArgs?: string[];
  /** Extra environment variables for the store process. */
  env?: Record<string, string>;
}

function launchOn(port: number, options: StartStoreOptions): Promise<RunningProgram> {
  const { corsOrigins = [], apiKey, nodeArgs, env } = options;
  const args = ['--log-level', 'warn'];
  for (const origin of corsOrigins) args.push('--cors-origin', origin);
  if (apiKey !== undefined) args.push('--api-key', apiKey);
  return launch({ port, args, nodeArgs, env });
}

export async function startStore(options: StartStoreOptions = {}): Promise<StoreServer> {
  const port = options.port ?? (await freePort());
  let running = await launchOn(port, options);
  const auth: Record<string, string> =
    options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` };

  const server: StoreServer = {
    url: running.url,
    port,
    client: new LightningStoreClient({
      baseUrl: running.url,
      // A seed that fails must fail the test at once, not after the client's backoff.
      retries: 0,
      fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as object), ...auth } }),
    }),
    async api<T>(method: string, path: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = { ...auth };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
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
      await running.stop();
    },
    async restart() {
      await running.stop();
      running = await launchOn(port, options);
    },
  };
  return server;
}
