/**
 * The real store server (memory engine) on a loopback port for client tests, plus a fetch wrapper that counts
 * requests. `port` lets a test bring a server back on the port a closed one used (retry across a restart).
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/app.js';
import { LightningStoreClient, type LightningStoreClientOptions } from '../src/index.js';

export interface RunningServer {
  url: string;
  port: number;
  app: FastifyInstance;
  close: () => Promise<void>;
}

export async function startServer(port = 0): Promise<RunningServer> {
  const app = await buildApp({ storage: { kind: 'memory' }, staticDir: null, logger: false });
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const close = async () => {
    const closing = app.close();
    // Teardown only: an aborted fetch can leave a connection that never sends a request; Node counts it as busy
    // and the close would wait for it (tests abort on purpose). Nothing of the test is in flight by now.
    app.server.closeAllConnections();
    await closing;
  };
  return { url: `http://127.0.0.1:${address.port}`, port: address.port, app, close };
}

/** Every request the client sends, as `METHOD /path`. */
export interface CountingFetch {
  fetch: typeof fetch;
  calls: string[];
}

export function countingFetch(): CountingFetch {
  const calls: string[] = [];
  const wrapped: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    return fetch(input, init);
  };
  return { fetch: wrapped, calls };
}

/** A client with short retry delays, so retry tests take milliseconds rather than the default 8 s. */
export function fastClient(url: string, options: Partial<LightningStoreClientOptions> = {}): LightningStoreClient {
  return new LightningStoreClient({ baseUrl: url, retryDelaysMs: [50, 100, 200], timeoutMs: 5000, ...options });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
