/**
 * `--db` paths that cannot be a store say so in words — the path and the cause — instead of SQLite's "unable to open
 * database file" or "file is not a database", and the CLI prints that one line and exits 1.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/storage/errors.js';
import { LATEST_SCHEMA_VERSION } from '../../src/storage/migrations.js';
import { SqliteEngine } from '../../src/storage/sqlite.js';
import { killStoreProcesses, runCli, STORE_CLI } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agl-open-'));
});
afterEach(() => {
  killStoreProcesses();
  rmSync(dir, { recursive: true, force: true });
});

function openError(path: string): StorageError {
  try {
    new SqliteEngine(path);
  } catch (error) {
    expect(error).toBeInstanceOf(StorageError);
    return error as StorageError;
  }
  throw new Error(`expected ${path} to be refused`);
}

describe('opening a SQLite store', () => {
  it('a directory is named as such, with an example file path', () => {
    const error = openError(dir);
    expect(error.message).toBe(`${dir} is a directory; --db takes a file path, e.g. ${join(dir, 'agl-store.db')}`);
  });

  it('a missing parent directory is named', () => {
    const path = join(dir, 'missing', 'store.db');
    expect(openError(path).message).toContain(`the directory ${join(dir, 'missing')} does not exist`);
  });

  it('a file that is not SQLite is refused before SQLite touches it', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'these are my notes, not a database');
    expect(openError(path).message).toBe(
      `${path} is not a SQLite database (it is some other kind of file); choose another --db path`,
    );
  });

  it('another application’s database is left alone', () => {
    const path = join(dir, 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE customers (id INTEGER); CREATE TABLE orders (id INTEGER);');
    other.close();
    expect(openError(path).message).toMatch(/holds another application's tables \(customers, orders\)/);
  });

  it('a store written by a newer server is not migrated backwards', () => {
    const path = join(dir, 'newer.db');
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(openError(path).message).toContain(`newer agl-store (schema version ${LATEST_SCHEMA_VERSION + 1}`);
  });

  it('an unwritable location is named (a read-only directory; root bypasses permissions, so /proc stands in)', () => {
    const readOnly = join(dir, 'ro');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o500);
    const path = process.getuid?.() === 0 ? '/proc/agl-store.db' : join(readOnly, 'store.db');
    expect(openError(path).message).toMatch(/^cannot (create|open|write in) .*(agl-store|store)\.db/);
  });

  it('the CLI prints the reason on one line and exits 1', async () => {
    const run = runCli(STORE_CLI, ['--db', dir, '--host', '127.0.0.1', '--port', '0']);
    expect(await run.exited).toBe(1);
    const lines = run.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${dir} is a directory`);
  });
});
