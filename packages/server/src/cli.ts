#!/usr/bin/env node
/**
 * `agl-store`: runs the LightningStore server. Flags win over environment variables, which win over defaults.
 * The process owns listening, logging and signals; everything else is `buildApp`.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { buildApp, DEFAULT_BODY_LIMIT, type StorageOptions } from './app.js';
import { startDemo, type DemoHandle } from './demo/index.js';

const HELP = `Usage: agl-store [options]

  --host <addr>          bind address (env AGL_SERVER_HOST, default 127.0.0.1)
  --port <n>             port (env AGL_SERVER_PORT, default 4747)
  --db <file>            SQLite database file (env AGL_DB_PATH, default ./agl-store.db)
  --memory               keep everything in memory instead (env AGL_MEMORY=1)
  --cors-origin <url>    allow a browser origin; repeatable, '*' for any (env AGL_CORS_ORIGINS, comma-separated)
  --log-level <level>    fatal|error|warn|info|debug|trace (env AGL_LOG_LEVEL, default info)
  --body-limit-mb <n>    largest accepted request body (env AGL_BODY_LIMIT_MB, default 64)
  --debug                include tracebacks in 500 responses
  --demo                 run a simulated training run against this server (own in-memory store)
  --demo-speed <x>       demo speed factor (default 1)
  --demo-seed <n>        demo random seed (same seed, same run)
  --help                 show this help
`;

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    db: { type: 'string' },
    memory: { type: 'boolean' },
    'cors-origin': { type: 'string', multiple: true },
    'log-level': { type: 'string' },
    'body-limit-mb': { type: 'string' },
    debug: { type: 'boolean' },
    demo: { type: 'boolean' },
    'demo-speed': { type: 'string' },
    'demo-seed': { type: 'string' },
    help: { type: 'boolean' },
  },
  strict: true,
});

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const env = process.env;
const host = values.host ?? env.AGL_SERVER_HOST ?? '127.0.0.1';
const port = Number(values.port ?? env.AGL_SERVER_PORT ?? 4747);
const memory = values.memory ?? env.AGL_MEMORY === '1';
const dbPath = resolve(values.db ?? env.AGL_DB_PATH ?? 'agl-store.db');
const corsOrigins = values['cors-origin'] ?? (env.AGL_CORS_ORIGINS ?? '').split(',');
const logLevel = values['log-level'] ?? env.AGL_LOG_LEVEL ?? 'info';
const bodyLimitMb = Number(values['body-limit-mb'] ?? env.AGL_BODY_LIMIT_MB ?? DEFAULT_BODY_LIMIT / 1024 / 1024);

if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port: ${values.port ?? env.AGL_SERVER_PORT}`);
if (!(bodyLimitMb > 0)) fail('invalid body limit');

const demoMode = values.demo ?? false;
// The demo always gets its own in-memory store: a user's database is never touched by simulated data.
const storage: StorageOptions = memory || demoMode ? { kind: 'memory' } : { kind: 'sqlite', path: dbPath };
const app = await buildApp({
  storage,
  corsOrigins,
  debug: values.debug ?? false,
  bodyLimitBytes: Math.round(bodyLimitMb * 1024 * 1024),
  logger: { level: logLevel },
  requestLogging: logLevel === 'debug' || logLevel === 'trace',
}).catch((error: unknown) => fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`));

try {
  await app.listen({ host, port });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  await app.close().catch(() => undefined);
  if (code === 'EADDRINUSE')
    fail(`port ${port} on ${host} is already in use (is another store running? pick one with --port)`);
  fail(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
}

const address = app.server.address();
const actualPort = typeof address === 'object' && address ? address.port : port;
const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
process.stdout.write(
  `LightningStore listening on ${url}\n` +
    `  storage:   ${storage.kind === 'memory' ? 'in memory (nothing is kept after exit)' : `SQLite ${dbPath}`}\n` +
    `  dashboard: ${url}/\n  API docs:  ${url}/docs\n`,
);

let demo: DemoHandle | null = null;
if (demoMode) {
  // The demo talks to this server over HTTP like any client; a wildcard bind is reached through loopback.
  const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  demo = startDemo({
    baseUrl: `http://${local.includes(':') ? `[${local}]` : local}:${actualPort}`,
    speed: Number(values['demo-speed'] ?? 1),
    ...(values['demo-seed'] === undefined ? {} : { seed: Number(values['demo-seed']) }),
    log: (line) => process.stdout.write(`[demo] ${line}\n`),
  });
  demo.done.catch((error: unknown) => process.stderr.write(`[demo] stopped: ${String(error)}\n`));
  process.stdout.write(`  demo:      a simulated training run is filling this in-memory store; open ${url}/\n`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1); // a second Ctrl-C does not wait
    stopping = true;
    process.stdout.write(`\n${signal}: finishing in-flight requests and closing the store…\n`);
    // Connections that never sent a request would hold close() until their header timeout: cut them after a grace.
    setTimeout(() => app.server.closeAllConnections(), 2000).unref();
    (demo?.stop() ?? Promise.resolve())
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`error during shutdown: ${String(error)}\n`);
          process.exit(1);
        },
      );
  });
}

function fail(message: string): never {
  process.stderr.write(`agl-store: ${message}\n`);
  process.exit(1);
}
