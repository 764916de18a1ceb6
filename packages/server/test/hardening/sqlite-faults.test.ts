/**
 * What the SQLite store does when its file misbehaves: a second server on the same file is refused at start, a
 * write lock held by another process never takes the server down (requests answer 503, the watchdog backs off and
 * reports itself in /health, then catches up), a commit that fails leaves nothing in memory ahead of the database
 * (the watchdog redoes its work once writes succeed and pending waits get their answer), and a damaged file is
 * named in the error.
 */
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteEngine } from '../../src/storage/sqlite.js';
import { sleep, startServer, type TestServer } from '../helpers/http.js';
import { killStoreProcesses, runCli, startStoreProcess, STORE_CLI } from '../helpers/cli.js';

let dir: string;
let dbPath: string;
let server: TestServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agl-faults-'));
  dbPath = join(dir, 'store.db');
});
afterEach(async () => {
  killStoreProcesses();
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** The store's engine and its own connection, for injecting faults (tests only). */
const engineOf = (s: TestServer) => s.app.store['engine'] as SqliteEngine;
const connectionOf = (s: TestServer) => engineOf(s)['db'] as Database.Database;

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('one server per SQLite file', () => {
  it('a second server on the same file refuses to start, naming the file and the first one’s pid', async () => {
    const first = await startStoreProcess({ db: dbPath });
    const second = runCli(STORE_CLI, ['--db', dbPath, '--host', '127.0.0.1', '--port', '0']);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(dbPath);
    expect(second.output()).toContain(`pid ${first.child.pid}`);
    expect(second.output()).toMatch(/PostgreSQL/);
    expect(second.output()).not.toMatch(/\n\s+at /); // one clear line, no stack trace
    expect((await first.api('GET', '/health')).status).toBe(200);
    // The lock dies with its process, however it ends.
    first.child.kill('SIGKILL');
    await first.exited;
    const third = await startStoreProcess({ db: dbPath });
    expect((await third.api('GET', '/health')).status).toBe(200);
  });
});

describe('a write lock held by another process', () => {
  it('never stops the server: health stays fast, writes answer 503, the watchdog reports itself and catches up', async () => {
    const store = await startStoreProcess({ db: dbPath });
    const started = await store.api('POST', '/rollouts', { input: 1, config: { timeout_seconds: 0.5 } });
    const rid = started.body.rollout_id as string;

    const intruder = new Database(dbPath, { timeout: 0 });
    intruder.exec('BEGIN IMMEDIATE'); // holds the write lock until released
    try {
      const degradedBy = Date.now() + 8000;
      let degraded: { problems: Array<{ source: string; message: string }> } | null = null;
      while (!degraded && Date.now() < degradedBy) {
        const t0 = performance.now();
        const health = await store.api('GET', '/health');
        expect(health.status).toBe(200);
        expect(performance.now() - t0).toBeLessThan(1000);
        if (health.body.status === 'degraded') degraded = health.body;
        await sleep(200);
      }
      expect(degraded?.problems).toContainEqual(
        expect.objectContaining({ source: 'watchdog', message: expect.stringContaining('locked') }),
      );
      const write = await store.api('POST', '/queues/rollouts/enqueue', { input: 2 });
      expect(write.status).toBe(503);
      expect(write.headers.get('retry-after')).toBe('1');
      expect(write.body.detail).toContain(dbPath);
    } finally {
      intruder.exec('ROLLBACK');
      intruder.close();
    }
    expect(store.child.exitCode).toBeNull();
    const failed = await until('the timeout to be applied', async () => {
      const rollout = (await store.api('GET', `/rollouts/${rid}`)).body;
      return rollout.status === 'failed' ? rollout : undefined;
    });
    expect(failed.attempt.status).toBe('timeout');
    await until('health to recover', async () =>
      (await store.api('GET', '/health')).body.status === 'ok' ? true : undefined,
    );
  }, 30_000);
});

describe('a commit that fails', () => {
  it('is rolled back without leaving the watchdog ahead of the database; it recovers and wakes the wait', async () => {
    server = await startServer('sqlite', { watchdog: { intervalSeconds: 0.1 } });
    const db = connectionOf(server);
    // A deferred foreign-key violation fails at COMMIT, like a full disk would: every batch fails while `faulty`.
    db.pragma('foreign_keys = ON');
    db.exec(
      'CREATE TABLE fault_parent (id INTEGER PRIMARY KEY);' +
        'CREATE TABLE fault_child (x INTEGER REFERENCES fault_parent(id) DEFERRABLE INITIALLY DEFERRED);',
    );
    const engine = engineOf(server);
    const write = engine.write.bind(engine);
    let faulty = false;
    engine.write = (changes, fn) =>
      write(changes, async (tx) => {
        if (faulty) db.exec('INSERT INTO fault_child VALUES (1)');
        return fn(tx);
      });

    const started = await server.api('POST', '/rollouts', { input: 1, config: { timeout_seconds: 0.3 } });
    const rid = started.body.rollout_id as string;
    faulty = true;
    const wait = server.api('POST', '/waits/rollouts', { rollout_ids: [rid], timeout: 15 });
    const degraded = await until('health to report the failing commits', async () => {
      const health = (await server!.api('GET', '/health')).body;
      return health.status === 'degraded' ? health : undefined;
    });
    expect(degraded.problems[0]).toMatchObject({ source: 'database', message: expect.stringContaining('FOREIGN KEY') });
    // Every timeout the watchdog applied was rolled back; what storage holds is still the running attempt.
    const stored = db.prepare('SELECT status FROM rollouts WHERE rollout_id = ?').pluck().get(rid);
    expect(stored).toBe('preparing');

    faulty = false;
    const waited = await wait;
    expect(waited.status).toBe(200);
    expect(waited.body).toMatchObject([{ rollout_id: rid, status: 'failed' }]);
    expect((await server.api('GET', `/rollouts/${rid}`)).body.attempt.status).toBe('timeout');
    expect((await server.api('GET', '/health')).body).toEqual({ status: 'ok' });
  }, 30_000);
});

describe('a damaged database file', () => {
  it('answers a 500 that says the file is damaged and which file', async () => {
    server = await startServer('sqlite');
    for (let i = 0; i < 2000; i++) await server.api('POST', '/queues/rollouts/enqueue', { input: 'x'.repeat(200) });
    const db = connectionOf(server);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const path = engineOf(server).path;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 64, 0xab), 0, 4096 * 64, 4096 * 2);
    closeSync(fd);
    db.pragma('shrink_memory'); // drop cached pages, as memory pressure would
    const res = await server.api('GET', '/rollouts');
    expect(res.status).toBe(500);
    expect(res.body.error_type).toBe('SQLITE_CORRUPT');
    expect(res.body.detail).toContain(path);
    expect(res.body.detail).toMatch(/damaged/);
  }, 30_000);
});
