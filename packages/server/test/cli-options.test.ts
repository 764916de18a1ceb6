/**
 * Every setting of the built CLI, observed on the running server: each is honoured from its flag and from its
 * environment variable, and the flag wins over the variable. (`--port`/`AGL_SERVER_PORT` are in cli.test.ts.)
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, listening, rawRequest, runCli, STORE_CLI, type CliOptions, type CliRun } from './helpers/cli.js';
import { call } from './helpers/http.js';

const scratch = mkdtempSync(join(tmpdir(), 'agl-cli-options-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Started {
  run: CliRun;
  /** Where to reach it from here (loopback). */
  url: string;
  port: number;
  /** The URL as the banner prints it. */
  bannerUrl: string;
}

/** Starts the CLI (in memory unless the args say otherwise) on a free port and waits for its banner. */
async function start(args: string[], options: CliOptions = {}): Promise<Started> {
  const port = await freePort();
  const storage = args.includes('--db') || options.env?.AGL_DB_PATH || options.env?.AGL_MEMORY ? [] : ['--memory'];
  const run = runCli(STORE_CLI, [...storage, '--port', String(port), ...args], { cwd: scratch, ...options });
  const { url } = await listening(run);
  const bannerUrl = /listening on (\S+)/.exec(run.output())![1]!;
  return { run, url, port, bannerUrl };
}

async function stop({ run }: Started): Promise<void> {
  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
}

describe('where it listens and what it stores in', () => {
  it('AGL_SERVER_HOST sets the bind address; --host beats it', async () => {
    const fromEnv = await start([], { env: { AGL_SERVER_HOST: '127.0.0.2' } });
    expect(fromEnv.bannerUrl).toBe(`http://127.0.0.2:${fromEnv.port}`);
    expect((await call(`http://127.0.0.2:${fromEnv.port}/agl/v1/health`, 'GET')).status).toBe(200);
    await stop(fromEnv);
    const fromFlag = await start(['--host', '127.0.0.3'], { env: { AGL_SERVER_HOST: '127.0.0.2' } });
    expect(fromFlag.bannerUrl).toBe(`http://127.0.0.3:${fromFlag.port}`);
    await stop(fromFlag);
  });

  it('AGL_DB_PATH names the database file; --db beats it', async () => {
    const [envDb, flagDb] = [join(scratch, 'env.db'), join(scratch, 'flag.db')];
    const fromEnv = await start([], { env: { AGL_DB_PATH: envDb } });
    expect(fromEnv.run.output()).toContain(`storage:   SQLite ${envDb}`);
    expect(existsSync(envDb)).toBe(true);
    await stop(fromEnv);
    const fromFlag = await start(['--db', flagDb], { env: { AGL_DB_PATH: join(scratch, 'unused.db') } });
    expect(fromFlag.run.output()).toContain(`storage:   SQLite ${flagDb}`);
    expect(existsSync(flagDb)).toBe(true);
    expect(existsSync(join(scratch, 'unused.db'))).toBe(false);
    await stop(fromFlag);
  });

  it('AGL_MEMORY=1 keeps everything in memory: no database file appears', async () => {
    const started = await start([], { env: { AGL_MEMORY: '1' } });
    expect(started.run.output()).toContain('storage:   in memory');
    expect(existsSync(join(scratch, 'agl-store.db'))).toBe(false);
    await stop(started);
  });
});

describe('who may call it', () => {
  it('AGL_KEY requires the key on API calls, the banner says so and never prints it; --api-key beats it', async () => {
    const fromEnv = await start([], { env: { AGL_KEY: 'env-secret-1' } });
    expect(fromEnv.run.output()).toContain('API key:   required');
    expect((await call(`${fromEnv.url}/agl/v1/rollouts`, 'GET')).status).toBe(401);
    const withKey = { authorization: 'Bearer env-secret-1' };
    expect((await call(`${fromEnv.url}/agl/v1/rollouts`, 'GET', undefined, withKey)).status).toBe(200);
    await stop(fromEnv);
    expect(fromEnv.run.output()).not.toContain('env-secret-1');

    const fromFlag = await start(['--api-key', 'flag-secret-2'], { env: { AGL_KEY: 'env-secret-1' } });
    expect((await call(`${fromFlag.url}/agl/v1/rollouts`, 'GET', undefined, withKey)).status).toBe(401);
    const flagKey = { 'x-api-key': 'flag-secret-2' };
    expect((await call(`${fromFlag.url}/agl/v1/rollouts`, 'GET', undefined, flagKey)).status).toBe(200);
    await stop(fromFlag);
    expect(fromFlag.run.output()).not.toMatch(/env-secret-1|flag-secret-2/);
  });

  it('AGL_ALLOWED_HOSTS adds accepted Host names; --allowed-host beats it', async () => {
    const asHost = (url: string, host: string) => rawRequest(`${url}/agl/v1/rollouts`, { headers: { host } });
    const fromEnv = await start([], { env: { AGL_ALLOWED_HOSTS: 'store.example, proxy.example' } });
    expect((await asHost(fromEnv.url, 'store.example')).status).toBe(200);
    expect((await asHost(fromEnv.url, 'proxy.example')).status).toBe(200);
    expect((await asHost(fromEnv.url, 'evil.example')).status).toBe(403);
    await stop(fromEnv);
    const fromFlag = await start(['--allowed-host', 'flag.example'], { env: { AGL_ALLOWED_HOSTS: 'store.example' } });
    expect((await asHost(fromFlag.url, 'flag.example')).status).toBe(200);
    expect((await asHost(fromFlag.url, 'store.example')).status).toBe(403);
    await stop(fromFlag);
  });

  it('AGL_CORS_ORIGINS lists browser origins; --cors-origin beats it', async () => {
    const originOf = async (url: string, origin: string) =>
      (await call(`${url}/agl/v1/health`, 'GET', undefined, { origin })).headers.get('access-control-allow-origin');
    const fromEnv = await start([], { env: { AGL_CORS_ORIGINS: 'http://a.example, http://b.example' } });
    expect(await originOf(fromEnv.url, 'http://b.example')).toBe('http://b.example');
    expect(await originOf(fromEnv.url, 'http://c.example')).toBeNull();
    await stop(fromEnv);
    const fromFlag = await start(['--cors-origin', 'http://c.example'], {
      env: { AGL_CORS_ORIGINS: 'http://a.example' },
    });
    expect(await originOf(fromFlag.url, 'http://c.example')).toBe('http://c.example');
    expect(await originOf(fromFlag.url, 'http://a.example')).toBeNull();
    await stop(fromFlag);
  });

  it('binding beyond loopback without a key prints one warning saying how to set one; with a key, none', async () => {
    const open = await start(['--host', '0.0.0.0']);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the warning follows the banner
    const warnings = open.run
      .stderr()
      .split('\n')
      .filter((line) => line.includes('warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(
        `^agl-store: warning: .*anyone who can reach port ${open.port} can read and change the store.*--api-key`,
      ),
    );
    await stop(open);
    const keyed = await start(['--host', '0.0.0.0'], { env: { AGL_KEY: 'k-123456' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(keyed.run.stderr()).not.toContain('warning');
    await stop(keyed);
  });
});

describe('limits, logging and debugging', () => {
  const enqueueLarge = (url: string) =>
    call(`${url}/agl/v1/queues/rollouts/enqueue`, 'POST', { input: 'x'.repeat(2 * 1024 * 1024) });

  it('AGL_BODY_LIMIT_MB refuses larger bodies with a 413; --body-limit-mb beats it', async () => {
    const fromEnv = await start([], { env: { AGL_BODY_LIMIT_MB: '1' } });
    expect((await enqueueLarge(fromEnv.url)).status).toBe(413);
    await stop(fromEnv);
    const fromFlag = await start(['--body-limit-mb', '3'], { env: { AGL_BODY_LIMIT_MB: '1' } });
    expect((await enqueueLarge(fromFlag.url)).status).toBe(201);
    await stop(fromFlag);
  });

  it('AGL_LOG_LEVEL=debug logs every request; --log-level warn beats it', async () => {
    const fromEnv = await start([], { env: { AGL_LOG_LEVEL: 'debug' } });
    await call(`${fromEnv.url}/agl/v1/rollouts`, 'GET');
    await stop(fromEnv);
    expect(fromEnv.run.stdout()).toMatch(/request completed/);
    const fromFlag = await start(['--log-level', 'warn'], { env: { AGL_LOG_LEVEL: 'debug' } });
    await call(`${fromFlag.url}/agl/v1/rollouts`, 'GET');
    await stop(fromFlag);
    expect(fromFlag.run.stdout()).not.toMatch(/incoming request|request completed/);
  });

  it('connection limits are accepted from flags and from the environment', async () => {
    // What the limits do is the server's business (and tested there); here: the CLI takes them and starts.
    await stop(await start(['--max-connections', '50', '--request-timeout-s', '2.5']));
    await stop(await start([], { env: { AGL_MAX_CONNECTIONS: '50', AGL_REQUEST_TIMEOUT_S: '30' } }));
  });

  it('--debug adds the traceback to a 500; without it the 500 only names the error class', async () => {
    const fault = fileURLToPath(new URL('./fixtures/fault.mjs', import.meta.url));
    const read = async (args: string[]) => {
      const started = await start(args, { nodeArgs: ['--import', fault] });
      const response = await call(`${started.url}/agl/v1/rollouts/ro-1`, 'GET');
      await stop(started);
      return response;
    };
    const plain = await read([]);
    expect(plain.status).toBe(500);
    expect(plain.body).toEqual({ detail: 'Internal server error', error_type: 'Error' });
    const debug = await read(['--debug']);
    expect(debug.status).toBe(500);
    expect(debug.body.traceback).toContain('injected fault');
  });
});
