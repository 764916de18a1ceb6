/**
 * PostgreSQL failures in words: which database on which host, and what went wrong. A database that cannot be
 * reached (refused, timed out, restarting, too many connections) is temporary — 503, clients retry; the message never
 * includes the password from the URL.
 */
import { StorageError } from '../errors.js';

/**
 * First keys of the advisory locks agl-store takes ("AGL" in ASCII, then which lock). Session locks take
 * `hashtext(current_schema())` as the second key, so stores in different schemas of one database keep apart.
 */
export const LOCKS = { migration: 0x41474c01, watchdog: 0x41474c02, worker: 0x41474c11, resources: 0x41474c12 };

/** Where the database is, for messages: `host:port` and the database name (never the credentials). */
export interface Where {
  host: string;
  database: string;
}

export function whereOf(url: string): Where {
  try {
    const parsed = new URL(url);
    const database = decodeURIComponent(parsed.pathname.slice(1)) || parsed.username || 'postgres';
    const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
    return { host: `${host}:${parsed.port || '5432'}`, database };
  } catch {
    return { host: 'unknown host', database: 'unknown database' };
  }
}

interface DriverError {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

/** Node's socket errors for a server that is not there (or not reachable). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** SQLSTATEs retried by the engine before they reach a client (a conflict between two servers' transactions). */
export function isRetryable(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === '40001' || code === '40P01';
}

/** True when the error means the connection itself is unusable (the pool must drop it, not reuse it). */
export function isConnectionError(error: unknown): boolean {
  return causeOf(error) !== null;
}

/** What is wrong with the connection, in words, or null when the error is not about reaching the database. */
function causeOf(error: unknown): string | null {
  const { code, message, errors } = (error ?? {}) as DriverError;
  const text = typeof message === 'string' ? message : '';
  const nested = Array.isArray(errors) ? (errors[0] as DriverError | undefined) : undefined;
  const socketCode = typeof code === 'string' ? code : typeof nested?.code === 'string' ? nested.code : '';
  if (socketCode === 'ECONNREFUSED') return 'connection refused (is PostgreSQL running there?)';
  if (socketCode === 'ENOTFOUND' || socketCode === 'EAI_AGAIN') return 'no such host';
  if (UNREACHABLE.has(socketCode)) return `cannot reach the server (${socketCode})`;
  if (/timeout exceeded when trying to connect|Connection terminated|connection timeout/i.test(text)) {
    return `cannot reach the server (${text})`;
  }
  if (
    text === 'Client was closed and is not queryable' ||
    text === 'Client has encountered a connection error and is not queryable'
  ) {
    return 'the connection was lost';
  }
  switch (code) {
    case '57P01':
    case '57P02':
    case '57P03':
      return `the server is shutting down or starting up (${text})`;
    case '53300':
      return `too many connections (${text}); raise max_connections or run fewer servers`;
    case '28P01':
    case '28000':
      return `authentication failed (${text}); check the user and password in the URL`;
    case '3D000':
      return `the database does not exist (${text}); create it with \`createdb\``;
  }
  return typeof code === 'string' && code.startsWith('08') ? `connection failure (${code}: ${text})` : null;
}

/** A driver error as a StorageError naming the database, or null if it is not PostgreSQL's. */
export function describePgError(error: unknown, where: Where): StorageError | null {
  if (error instanceof StorageError) return error;
  const { code, message } = (error ?? {}) as DriverError;
  const place = `PostgreSQL database ${where.database} on ${where.host}`;
  const cause = causeOf(error);
  if (cause !== null) {
    return new StorageError('AGL_DB_UNAVAILABLE', `The ${place} is unavailable: ${cause}; try again in a moment`, 503);
  }
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  const text = `${code}: ${String(message)}`;
  if (isRetryable(error)) {
    return new StorageError(code, `Too many conflicting writes on the ${place} (${text}); try again`, 503);
  }
  if (code === '53100') return new StorageError(code, `The ${place} is out of disk space (${text})`, 507);
  if (code === '57014') return new StorageError(code, `A statement on the ${place} took too long (${text})`, 503);
  return new StorageError(code, `Database error on the ${place} (${text})`);
}

/** The one line printed when the server cannot start on this database. */
export function startupError(error: unknown, where: Where): StorageError {
  if (error instanceof StorageError && error.code === 'AGL_DB_SCHEMA') return error;
  const cause = causeOf(error) ?? (error instanceof Error ? error.message : String(error));
  return new StorageError(
    'AGL_DB_UNAVAILABLE',
    `cannot use PostgreSQL database ${where.database} on ${where.host}: ${cause}`,
    503,
  );
}
