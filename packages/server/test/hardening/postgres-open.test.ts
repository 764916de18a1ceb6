/**
 * PostgreSQL URLs that cannot be a store stop the start with one line naming the host, the database and the cause:
 * nothing listening, a role the server refuses, a database that does not exist, another application's tables, a
 * schema newer than this server knows. Two servers started at the same moment on an empty database both come up.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresEngine } from '../../src/storage/postgres/engine.js';
import { PG_LATEST_SCHEMA_VERSION } from '../../src/storage/postgres/schema.js';
import { freshPostgres } from '../helpers/http.js';
import { STORE_CLI, freePort, killStoreProcesses, runCli, startStoreProcess } from '../helpers/cli.js';

const drops: Array<() => Promise<void>> = [];
afterEach(async () => {
  killStoreProcesses();
  for (const drop of drops.splice(0)) await drop();
});

async function store(): Promise<string> {
  const database = await freshPostgres();
  drops.push(database.drop);
  return database.url;
}

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Runs the CLI on `url` and returns its single output line (it must exit 1 without listening). */
async function refusal(url: string): Promise<string> {
  const run = runCli(STORE_CLI, ['--db-url', url, '--port', String(await freePort())]);
  expect(await run.exited).toBe(1);
  const lines = run.output().trim().split('\n');
  expect(lines, run.output()).toHaveLength(1);
  return lines[0]!;
}

/** The run's cluster URL with `change` applied (another port, user or database). */
async function variant(change: (url: URL) => void): Promise<string> {
  const url = new URL(await store());
  change(url);
  return url.toString();
}

describe('opening a PostgreSQL store', () => {
  it('nothing listening: host, database and "connection refused"', async () => {
    const port = await freePort();
    const line = await refusal(await variant((url) => (url.port = String(port))));
    expect(line).toMatch(
      new RegExp(
        `^agl-store: cannot use PostgreSQL database agl_tests\\S* on 127\\.0\\.0\\.1:${port}: connection refused`,
      ),
    );
  });

  it('a role the server refuses: authentication failed, and the password is never printed', async () => {
    const line = await refusal(
      await variant((url) => {
        url.username = 'nobody';
        url.password = 's3cret-pw';
      }),
    );
    expect(line).toMatch(/^agl-store: cannot use PostgreSQL database \S+ on 127\.0\.0\.1:\d+: authentication failed/);
    expect(line).toContain('role "nobody" does not exist');
    expect(line).not.toContain('s3cret-pw');
  });

  it('a database that does not exist says how to create it', async () => {
    const line = await refusal(await variant((url) => (url.pathname = '/no_such_db')));
    expect(line).toMatch(
      /^agl-store: cannot use PostgreSQL database no_such_db on 127\.0\.0\.1:\d+: the database does/,
    );
    expect(line).toContain('createdb');
  });

  it("another application's tables are named, and nothing is created next to them", async () => {
    const url = await store();
    await sql(url, 'CREATE TABLE invoices (id int); CREATE TABLE customers (id int)');
    const line = await refusal(url);
    expect(line).toMatch(
      /cannot use PostgreSQL database agl_tests\S* on 127\.0\.0\.1:\d+: it holds another application's/,
    );
    expect(line).toContain('(customers, invoices)');
  });

  it('a newer schema asks for a newer agl-store', async () => {
    const url = await store();
    await (await PostgresEngine.open(url)).close();
    await sql(url, `UPDATE agl_schema SET version = ${PG_LATEST_SCHEMA_VERSION + 1}`);
    const line = await refusal(url);
    expect(line).toContain(`it holds a newer agl-store schema (version ${PG_LATEST_SCHEMA_VERSION + 1}`);
    expect(line).toContain('upgrade agl-store');
  });

  it('three servers started together on an empty database all come up on one schema', async () => {
    const url = await store();
    const servers = await Promise.all([1, 2, 3].map(() => startStoreProcess({ db: url })));
    const created = await servers[0]!.api('POST', '/queues/rollouts/enqueue', { input: 1 });
    expect(created.status).toBe(201);
    for (const server of servers) expect((await server.api('GET', '/rollouts')).body).toHaveLength(1);
    expect(servers[1]!.output()).toContain(`PostgreSQL database agl_tests`);
  });
});
