/**
 * `agl-store`'s flags and how they become `AppOptions`. Flags win over environment variables, which win over
 * defaults. `HOST_FLAG`, `PORT_FLAG`, `LOG_LEVEL_FLAG` and `HELP_FLAG` are shared with `agl-demo`.
 */
import { resolve } from 'node:path';
import { DEFAULT_BODY_LIMIT, type AppOptions, type StorageOptions } from '../app.js';
import { whereOf } from '../storage/postgres/errors.js';
import { UsageError, type CommandLine, type FlagSpec } from './flags.js';
import { loggerOptions } from './log.js';
import { LOG_LEVELS, readLogLevel, readPort, readInteger, readPositiveNumber, type LogLevel } from './values.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4747;
const DEFAULT_DB = 'agl-store.db';

export const HOST_FLAG: FlagSpec = {
  name: 'host',
  kind: 'string',
  env: 'AGL_SERVER_HOST',
  placeholder: '<addr>',
  example: DEFAULT_HOST,
  defaultText: DEFAULT_HOST,
  help: 'bind address; 0.0.0.0 accepts other machines',
};
export const PORT_FLAG: FlagSpec = {
  name: 'port',
  kind: 'string',
  env: 'AGL_SERVER_PORT',
  placeholder: '<n>',
  example: String(DEFAULT_PORT),
  defaultText: String(DEFAULT_PORT),
  help: 'port of the API and the dashboard',
};
export const LOG_LEVEL_FLAG: FlagSpec = {
  name: 'log-level',
  kind: 'string',
  env: 'AGL_LOG_LEVEL',
  placeholder: '<level>',
  example: 'debug',
  defaultText: 'info',
  help: `${LOG_LEVELS.join(', ')}; debug also logs every request`,
};
export const HELP_FLAG: FlagSpec = { name: 'help', kind: 'boolean', help: 'show this help' };

export const STORE_FLAGS: readonly FlagSpec[] = [
  HOST_FLAG,
  PORT_FLAG,
  {
    name: 'db',
    kind: 'string',
    env: 'AGL_DB_PATH',
    placeholder: '<file>',
    example: `./${DEFAULT_DB}`,
    defaultText: `./${DEFAULT_DB}`,
    help: 'SQLite database file (one server), or a postgres:// URL as --db-url takes',
  },
  {
    name: 'db-url',
    kind: 'string',
    env: 'AGL_DB_URL',
    placeholder: '<url>',
    example: 'postgres://agl:secret@db.example.com:5432/agl',
    secret: true,
    help: 'PostgreSQL database that several servers may share',
  },
  { name: 'memory', kind: 'boolean', env: 'AGL_MEMORY', help: 'keep everything in memory instead (lost on exit)' },
  {
    name: 'upstream',
    kind: 'string',
    env: 'AGL_UPSTREAM_URL',
    placeholder: '<url>',
    example: 'http://python-store:4747',
    help: 'store nothing: serve the dashboard and forward the API to this store (e.g. a Python one)',
  },
  {
    name: 'api-key',
    kind: 'string',
    env: 'AGL_KEY',
    placeholder: '<key>',
    example: '"$(openssl rand -hex 16)"',
    secret: true,
    help: 'require this key on every API request but health',
  },
  {
    name: 'allowed-host',
    kind: 'list',
    env: 'AGL_ALLOWED_HOSTS',
    placeholder: '<name>',
    example: 'store.example.com',
    help: 'also answer requests addressed to this name (behind a reverse proxy); repeatable',
  },
  {
    name: 'cors-origin',
    kind: 'list',
    env: 'AGL_CORS_ORIGINS',
    placeholder: '<url>',
    example: 'http://localhost:5173',
    help: "let a browser page on this origin call the API; repeatable, '*' for any",
  },
  LOG_LEVEL_FLAG,
  {
    name: 'body-limit-mb',
    kind: 'string',
    env: 'AGL_BODY_LIMIT_MB',
    placeholder: '<n>',
    example: '64',
    defaultText: String(DEFAULT_BODY_LIMIT / 1024 / 1024),
    help: 'largest accepted request body in MiB; larger ones get a 413',
  },
  {
    name: 'max-connections',
    kind: 'string',
    env: 'AGL_MAX_CONNECTIONS',
    placeholder: '<n>',
    example: '1000',
    defaultText: 'chosen by the server',
    help: 'open connections at most',
  },
  {
    name: 'request-timeout-s',
    kind: 'string',
    env: 'AGL_REQUEST_TIMEOUT_S',
    placeholder: '<s>',
    example: '30',
    defaultText: 'chosen by the server',
    help: 'seconds a client may take to send a whole request',
  },
  { name: 'debug', kind: 'boolean', help: 'include tracebacks in 500 responses and startup errors' },
  HELP_FLAG,
];

export interface StoreConfig {
  /** Dashboard-only mode: the store the API is forwarded to. */
  upstream: string | null;
  host: string;
  port: number;
  logLevel: LogLevel;
  debug: boolean;
  /** What the banner says about where data lives. */
  storageText: string;
  app: AppOptions;
}

/** Everything `agl-store` needs from its command line and environment, validated. */
export function readStoreConfig(cli: CommandLine): StoreConfig {
  const host = cli.text('host') ?? DEFAULT_HOST;
  const port = readPort(cli, 'port', DEFAULT_PORT);
  const logLevel = readLogLevel(cli, 'log-level', 'info');
  const upstream = readUpstream(cli);
  const { storage, storageText } = readStorage(cli, upstream);
  const bodyLimitMb = readPositiveNumber(cli, 'body-limit-mb') ?? DEFAULT_BODY_LIMIT / 1024 / 1024;
  const requestTimeoutS = readPositiveNumber(cli, 'request-timeout-s');
  const maxConnections = readInteger(cli, 'max-connections', 1);
  const debug = cli.flag('debug');
  return {
    upstream,
    host,
    port,
    logLevel,
    debug,
    storageText: upstream === null ? storageText : `none here — the API is forwarded to ${upstream}`,
    app: {
      storage,
      corsOrigins: cli.list('cors-origin'),
      debug,
      bodyLimitBytes: Math.round(bodyLimitMb * 1024 * 1024),
      logger: loggerOptions(logLevel),
      requestLogging: logLevel === 'debug' || logLevel === 'trace',
      apiKey: cli.text('api-key') ?? null,
      bindHost: host,
      allowedHosts: cli.list('allowed-host'),
      // Unset limits are left out, not undefined: the server picks its own defaults for them.
      limits: {
        ...(maxConnections === undefined ? {} : { maxConnections }),
        ...(requestTimeoutS === undefined ? {} : { requestTimeoutMs: Math.round(requestTimeoutS * 1000) }),
      },
    },
  };
}

/** `--memory`, a SQLite file or a PostgreSQL URL (`--db` takes either; `--db-url` only a URL): one of them. */
function readStorage(cli: CommandLine, upstream: string | null): { storage: StorageOptions; storageText: string } {
  const memory = cli.flag('memory');
  const db = cli.text('db');
  const dbUrl = cli.text('db-url');
  const given = [
    memory ? (cli.sourceOf('memory') === '--memory' ? '--memory' : 'AGL_MEMORY=1') : null,
    db === undefined ? null : cli.sourceOf('db'),
    dbUrl === undefined ? null : cli.sourceOf('db-url'),
  ].filter((source): source is string => source !== null);
  if (given.length > 1) throw new UsageError(`${given[0]} and ${given[1]} contradict each other: keep one of them`);
  if (upstream !== null && given.length > 0) {
    throw new UsageError(
      `${cli.sourceOf('upstream')} stores nothing here, so ${given[0]} has no effect: keep one of them`,
    );
  }
  if (memory) return { storage: { kind: 'memory' }, storageText: 'in memory (nothing is kept after exit)' };
  const url = dbUrl ?? (db !== undefined && isPostgresUrl(db) ? db : undefined);
  if (url !== undefined) {
    if (!isPostgresUrl(url) || !canParse(url)) {
      throw new UsageError(
        `${cli.sourceOf(dbUrl === undefined ? 'db' : 'db-url')} must be a URL like postgres://user:password@host:5432/database`,
      );
    }
    const where = whereOf(url);
    return {
      storage: { kind: 'postgres', url },
      storageText: `PostgreSQL database ${where.database} on ${where.host} (shared: other servers may use it too)`,
    };
  }
  const path = resolve(db ?? DEFAULT_DB);
  return { storage: { kind: 'sqlite', path }, storageText: `SQLite ${path}` };
}

function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

function canParse(value: string): boolean {
  try {
    return new URL(value).hostname !== '' || new URL(value).searchParams.has('host');
  } catch {
    return false;
  }
}

function readUpstream(cli: CommandLine): string | null {
  const value = cli.text('upstream');
  if (value === undefined) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `${cli.sourceOf('upstream')} needs a store address like http://python-store:4747, not '${value}'`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${cli.sourceOf('upstream')} needs an http:// or https:// address, not '${value}'`);
  }
  return url.origin;
}
