/**
 * A throwaway PostgreSQL cluster for a test or benchmark run: Debian's PostgreSQL 15 server (`initdb` + `pg_ctl`) on
 * a temporary directory and a free loopback port, run as the unprivileged `postgres` user when this process is root
 * (the server refuses to run as root). Plain JavaScript so that both the Vitest setup and the benchmarks (`node
 * bench/*.mjs`) use this one helper.
 *
 * `durable: false` (tests) turns fsync off: the suites kill server processes, never the machine, so nothing they
 * check depends on fsync, and it saves seconds. Benchmarks keep PostgreSQL's durable defaults.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

/** A free TCP port on loopback (bound and released; good enough for a server started right after). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs a PostgreSQL binary, as `postgres` when we are root. */
function runPg(binary, args) {
  const command = [join(PG_BIN, binary), ...args];
  if (userInfo().uid !== 0) return execFileSync(command[0], command.slice(1), { stdio: 'pipe' });
  const quoted = command.map((part) => `'${part.replaceAll("'", `'\\''`)}'`).join(' ');
  return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { stdio: 'pipe' });
}

/**
 * Starts a cluster. Resolves with `adminUrl` (superuser `postgres`, database `postgres`), `port`, and `stop()`, which
 * stops the server and removes its directory. `settings` are extra `-c name=value` server settings.
 * @param {{ durable?: boolean, settings?: Record<string, string | number> }} [options]
 * @returns {Promise<{ adminUrl: string, port: number, dir: string, stop: () => void, stopServer: (mode?: string) => void, startServer: () => void }>}
 */
export async function startPgCluster(options = {}) {
  if (!existsSync(join(PG_BIN, 'postgres'))) {
    throw new Error(`PostgreSQL 15 is not installed (${PG_BIN}); apt-get install postgresql`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'agl-pg-'));
  if (userInfo().uid === 0) {
    const ids = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  const data = join(dir, 'data');
  runPg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const settings = {
    listen_addresses: '127.0.0.1',
    max_connections: 300,
    ...(options.durable === false ? { fsync: 'off', full_page_writes: 'off' } : {}),
    ...options.settings,
  };
  const serverOptions = [`-p ${port}`, `-k ${dir}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)];
  const startServer = () =>
    runPg('pg_ctl', ['-D', data, '-o', serverOptions.join(' '), '-l', join(dir, 'server.log'), '-w', 'start']);
  /** `fast` ends sessions cleanly; `immediate` is a crash (what a lost database server looks like to clients). */
  const stopServer = (mode = 'fast') => runPg('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  startServer();
  let stopped = false;
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    startServer,
    stopServer,
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        stopServer('immediate');
      } catch {
        // Already stopped (a test took it down); the directory still goes.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/**
 * Creates an empty database on the cluster and returns its URL. `icuLocale` sorts its text by that language's rules
 * (as most production databases do, e.g. `en`), instead of the cluster's code-point order.
 * @param {string} adminUrl
 * @param {string} [prefix]
 * @param {{ icuLocale?: string }} [options]
 */
export async function createDatabase(adminUrl, prefix = 'agl_test', options = {}) {
  const name = `${prefix}_${process.pid}_${counter++}`;
  const locale = options.icuLocale
    ? ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${options.icuLocale}' LOCALE 'C'`
    : '';
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}${locale}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Creates an empty schema in the database at `databaseUrl` and returns a URL whose sessions work in it
 * (`options=-c search_path=…`): a store of its own in a millisecond, where a new database takes a few hundred (each
 * store server in a test gets one).
 */
export async function createSchema(databaseUrl, prefix = 'agl_test') {
  const name = `${prefix}_${process.pid}_${counter++}`;
  await withClient(databaseUrl, (client) => client.query(`CREATE SCHEMA ${name}`));
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${name}`);
  return url.toString();
}

/** Drops a schema made by `createSchema` with everything in it. */
export async function dropSchema(schemaUrl) {
  const url = new URL(schemaUrl);
  const name = (url.searchParams.get('options') ?? '').replace('-c search_path=', '');
  url.searchParams.delete('options');
  await withClient(url.toString(), (client) => client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`));
}

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
