/**
 * Storage failures in words a user can act on. Engines turn driver errors into a `StorageError` that says what is
 * wrong and where (the file, the database), and which HTTP status fits: a locked or unreachable database is
 * temporary (503, clients retry), a full disk is 507, a corrupted file is a 500 that names the file.
 */
export class StorageError extends Error {
  constructor(
    /** Stable machine-readable code, e.g. `SQLITE_BUSY`, `AGL_DB_LOCKED`. */
    readonly code: string,
    message: string,
    /** The HTTP status a request failing with this error answers. */
    readonly status: number = 500,
  ) {
    super(message);
    this.name = 'StorageError';
  }

  /** 503s tell clients to come back; the reference client retries 5xx anyway, this only sets the pace. */
  get retryAfterSeconds(): number | null {
    return this.status === 503 ? 1 : null;
  }
}

interface DriverError {
  code?: unknown;
  message?: unknown;
}

/** Maps a SQLite error (better-sqlite3 `SqliteError`, `code` like `SQLITE_BUSY` or `SQLITE_IOERR_WRITE`) to words. */
export function describeSqliteError(error: unknown, path: string): StorageError | null {
  const { code, message } = (error ?? {}) as DriverError;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  const cause = `${code}: ${String(message)}`;
  // Extended codes (`SQLITE_IOERR_WRITE`, `SQLITE_BUSY_SNAPSHOT`) fall under their primary code.
  switch (PRIMARY_CODES.find((primary) => code === primary || code.startsWith(`${primary}_`))) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new StorageError(
        code,
        `The database ${path} is locked by another process (${cause}); try again in a moment`,
        503,
      );
    case 'SQLITE_FULL':
      return new StorageError(code, `Cannot write to ${path}: the disk or database is full (${cause})`, 507);
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return new StorageError(
        code,
        `The database file ${path} is damaged (${cause}); stop the server and restore the file from a backup`,
      );
    case 'SQLITE_READONLY':
      return new StorageError(code, `The database ${path} is read-only (${cause})`, 503);
    case 'SQLITE_IOERR':
      return new StorageError(code, `I/O error on ${path} (${cause})`);
    case 'SQLITE_CANTOPEN':
      return new StorageError(code, `Cannot open ${path} (${cause})`, 503);
    default:
      return new StorageError(code, `Database error on ${path} (${cause})`);
  }
}

const PRIMARY_CODES = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
];
