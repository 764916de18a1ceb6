/** Types of `pg-cluster.mjs`: a throwaway PostgreSQL 15 cluster for tests and benchmarks. */
export const PG_BIN: string;

export interface PgCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  adminUrl: string;
  port: number;
  dir: string;
  /** Stops the server and removes its directory. */
  stop(): void;
  /** Stops the server only (an outage), keeping the data. */
  stopServer(mode?: string): void;
  /** Starts a stopped server again on the same port. */
  startServer(): void;
}

export function startPgCluster(options?: {
  durable?: boolean;
  settings?: Record<string, string | number>;
}): Promise<PgCluster>;
/** A fresh database; resolves with its URL. */
export function createDatabase(adminUrl: string, prefix?: string, options?: { icuLocale?: string }): Promise<string>;
/** A fresh schema in `databaseUrl`; resolves with a URL that selects it. */
export function createSchema(databaseUrl: string, prefix?: string): Promise<string>;
export function dropSchema(schemaUrl: string): Promise<void>;
