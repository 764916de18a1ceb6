/**
 * Several built store processes (`dist/cli.js`) on one PostgreSQL store, as they run in production behind a load
 * balancer. Each test gets a fresh store (a schema of its own on the run's cluster) and 2–3 servers on it.
 */
import { afterEach } from 'vitest';
import { freshPostgres, type ApiResponse } from '../helpers/http.js';
import { killStoreProcesses, startStoreProcess, type StoreProcess } from '../helpers/cli.js';

const drops: Array<() => Promise<void>> = [];
afterEach(async () => {
  killStoreProcesses();
  for (const drop of drops.splice(0)) await drop();
});

export interface Cluster {
  url: string;
  servers: StoreProcess[];
  /** Starts one more server on the same store (after the others: the first one started is the watchdog). */
  add: () => Promise<StoreProcess>;
}

/** `count` servers on one fresh store, started one after the other. */
export async function startServers(count: number, extraArgs: string[] = []): Promise<Cluster> {
  const database = await freshPostgres();
  drops.push(database.drop);
  const add = () => startStoreProcess({ db: database.url, args: ['--log-level', 'warn', ...extraArgs] });
  const servers: StoreProcess[] = [];
  for (let i = 0; i < count; i++) servers.push(await add());
  return { url: database.url, servers, add };
}

export function expectOk(res: ApiResponse, status = 200): ApiResponse {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  return res;
}

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Polls `check` every 50 ms until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
