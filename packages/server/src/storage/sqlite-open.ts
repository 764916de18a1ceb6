/**
 * Opening a SQLite store file: checks that say what is wrong with a `--db` path before SQLite's terse "unable to
 * open database file", the single-writer lock, pragmas and migrations.
 *
 * One server per file: the engine caches rows, hands out span sequence ids and keeps the queue in this process, so a
 * second server on the same file would double-issue ids and overwrite the first one's updates. The lock is a small
 * sidecar SQLite file (`<db>.lock`) held in EXCLUSIVE locking mode for the life of the process: the operating system
 * releases it when the process ends, however it ends, so a crash never leaves a stale lock behind. Who holds it is
 * written into the store itself (table `meta`), where a second process can read it to say whom it is waiting for.
 * Several servers on one store is what the PostgreSQL engine is for.
 */
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describeSqliteError, StorageError } from './errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';

export interface OpenedSqlite {
  db: Database.Database;
  /** Releases the single-writer lock; call after closing `db`. */
  releaseLock: () => void;
}

/** How long a write waits for a lock held by another process before failing with SQLITE_BUSY (blocks the loop). */
const BUSY_TIMEOUT_MS = 250;
const SQLITE_HEADER = 'SQLite format 3\0';

export function openSqliteStore(path: string): OpenedSqlite {
  checkPath(path);
  const lock = acquireLock(path);
  try {
    const db = wrap(path, () => new Database(path, { timeout: BUSY_TIMEOUT_MS }));
    try {
      wrap(path, () => {
        // WAL: readers never block the writer and a commit is one append to the log. synchronous=NORMAL keeps every
        // committed transaction across a process crash (SIGKILL); only an OS crash may lose the last commits.
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('cache_size = -65536');
        migrate(db, path);
        db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('server', ?)").run(JSON.stringify(owner()));
      });
    } catch (error) {
      db.close();
      throw error;
    }
    return { db, releaseLock: () => lock.close() };
  } catch (error) {
    lock.close();
    throw error;
  }
}

function checkPath(path: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    const dir = dirname(path);
    if (!isDirectory(dir)) throw pathError(`cannot create ${path}: the directory ${dir} does not exist`);
    if (!canAccess(dir, constants.W_OK)) throw pathError(`cannot create ${path}: no permission to write in ${dir}`);
    return;
  }
  if (stats.isDirectory()) {
    throw pathError(`${path} is a directory; --db takes a file path, e.g. ${join(path, 'agl-store.db')}`);
  }
  if (!canAccess(path, constants.R_OK | constants.W_OK)) {
    throw pathError(`cannot open ${path}: no permission to read and write it`);
  }
  if (stats.size > 0 && readHeader(path) !== SQLITE_HEADER) {
    throw pathError(`${path} is not a SQLite database (it is some other kind of file); choose another --db path`);
  }
}

function acquireLock(path: string): Database.Database {
  const lockPath = `${path}.lock`;
  let lock: Database.Database;
  try {
    lock = new Database(lockPath, { timeout: 0 });
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw pathError(`cannot write in ${dirname(path)}, where ${path} and its lock file live (${cause})`);
  }
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    // The first write takes an exclusive lock that EXCLUSIVE locking mode keeps until the connection closes.
    lock.exec('CREATE TABLE IF NOT EXISTS lock_holder (pid INTEGER); DELETE FROM lock_holder;');
    return lock;
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new StorageError(
        'AGL_DB_LOCKED',
        `${path} is already in use by ${describeHolder(path)}. A SQLite store has one server at a time: stop ` +
          'that server or choose another --db file; to run several servers on one store, use PostgreSQL.',
        503,
      );
    }
    const cause = error instanceof Error ? error.message : String(error);
    throw pathError(`cannot write in ${dirname(path)}, where ${path} and its lock file live (${cause})`);
  }
}

/** Who holds the lock, from what it wrote into the store (it may not have written it yet). */
function describeHolder(path: string): string {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true, timeout: 200 });
    try {
      const row = db.prepare("SELECT value FROM meta WHERE key = 'server'").get() as { value: string } | undefined;
      if (!row) return 'another agl-store process';
      const info = JSON.parse(row.value) as ReturnType<typeof owner>;
      const since = new Date(info.started_at * 1000).toISOString().replace('T', ' ').slice(0, 19);
      return `another agl-store process (pid ${info.pid} on ${info.host}, running since ${since} UTC)`;
    } finally {
      db.close();
    }
  } catch {
    return 'another agl-store process';
  }
}

function owner() {
  return { pid: process.pid, host: hostname(), started_at: Date.now() / 1000 };
}

function migrate(db: Database.Database, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_SCHEMA_VERSION) {
    throw pathError(
      `${path} was written by a newer agl-store (schema version ${current}; this server knows up to ` +
        `${LATEST_SCHEMA_VERSION}): upgrade agl-store or choose another --db file`,
    );
  }
  if (current === 0) {
    const foreign = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    if (foreign.length > 0) {
      throw pathError(
        `${path} holds another application's tables (${foreign.slice(0, 5).join(', ')}); ` +
          'agl-store keeps its data in a file of its own: choose another --db path',
      );
    }
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      migration.backfill?.(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

function wrap<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw describeSqliteError(error, path) ?? error;
  }
}

function pathError(message: string): StorageError {
  return new StorageError('AGL_DB_PATH', message);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

function readHeader(path: string): string {
  const buffer = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('latin1');
}
