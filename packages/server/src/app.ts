/**
 * The store server as a Fastify plugin-style factory: `buildApp` wires storage, store, HTTP conventions, routes
 * and the dashboard, and never listens (the CLI does). Tests build it with an in-memory or temporary SQLite store.
 */
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { API_PREFIX, V1_API_PREFIX } from '@agl/schemas';
import { aglV1Api } from './api/agl-v1/index.js';
import { otlpApi } from './api/otlp/plugin.js';
import { AGL_V1_TAGS } from './api/agl-v1/tags.js';
import type { ApiPluginOptions } from './api/context.js';
import { v1AglApi } from './api/v1-agl/index.js';
import { V1_AGL_TAGS } from './api/v1-agl/tags.js';
import { discardBodies } from './http/body.js';
import { installCompression } from './http/compress.js';
import { connectionServerOptions, installConnectionLimits } from './http/connections.js';
import { installCors } from './http/cors.js';
import { installFallbackErrorHandler } from './http/errors.js';
import { installGuard } from './http/guard.js';
import { ListCache } from './http/list-cache.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { installStaticAndFallbacks } from './http/static.js';
import type { StorageEngine } from './storage/engine.js';
import { MemoryEngine } from './storage/memory.js';
import { PostgresEngine } from './storage/postgres/engine.js';
import { SqliteEngine } from './storage/sqlite.js';
import { LightningStore } from './store/store.js';
import type { WatchdogOptions } from './store/watchdog.js';

export type StorageOptions =
  | { kind: 'memory' }
  | { kind: 'sqlite'; path: string }
  /** `url`: `postgres://user:pass@host:5432/name`; several servers may share the database. */
  | { kind: 'postgres'; url: string };

export interface AppOptions {
  storage?: StorageOptions;
  corsOrigins?: string[];
  /** Adds a `traceback` to 500 responses (§6.5). */
  debug?: boolean;
  /** Larger request bodies get a 413. At least 32 MiB must be accepted (§2.1). */
  bodyLimitBytes?: number;
  /** The dashboard build; null serves the API only. Defaults to this package's `public/`. */
  staticDir?: string | null;
  logger?: FastifyServerOptions['logger'];
  /** One log line per request; off by default (at thousands of requests a second it costs more than the work). */
  requestLogging?: boolean;
  watchdog?: WatchdogOptions;
  /** Required on every API request except health when set (`--api-key`, `AGL_KEY`). */
  apiKey?: string | null;
  /** The address the server binds (`--host`); a loopback bind only accepts loopback `Host` headers. */
  bindHost?: string;
  /** Extra accepted `Host` names for a reverse proxy in front (`--allowed-host`); enables the check for any bind. */
  allowedHosts?: string[];
  limits?: ConnectionLimits;
}

/** Connection limits that a real runner never reaches, and that keep slow or idle sockets from piling up. */
export interface ConnectionLimits {
  /** Open connections at most; beyond it the longest-idle ones are closed first. */
  maxConnections?: number;
  /** Time to receive a whole request, headers and body (a wait's long poll is not counted: it is the response). */
  requestTimeoutMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    store: LightningStore;
  }
  interface FastifyContextConfig {
    /** False on routes that skip the before-request watchdog scan (§5.5). */
    watchdog?: boolean;
    /** Open even when the store requires an API key (health). */
    public?: boolean;
  }
}

export const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../public', import.meta.url));

/** Opens the engine; PostgreSQL connects and migrates first, so a database it cannot use fails the start. */
export async function openStorage(options: StorageOptions): Promise<StorageEngine> {
  if (options.kind === 'postgres') return PostgresEngine.open(options.url);
  return options.kind === 'sqlite' ? new SqliteEngine(options.path) : new MemoryEngine();
}

export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const engine = await openStorage(options.storage ?? { kind: 'memory' });
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: !options.requestLogging }),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    // Effectively unlimited: Node's 16 KiB header limit bounds the URL, and a long id must read as unknown (200 null).
    routerOptions: { maxParamLength: 1024 * 1024 },
    ...connectionServerOptions(options.limits ?? {}),
  });
  installConnectionLimits(app, options.limits ?? {});
  installSecurityHeaders(app);
  const store = new LightningStore(engine, {
    watchdog: options.watchdog,
    log: { warn: (message) => app.log.warn(message), error: (message) => app.log.error(message) },
  });
  app.decorate('store', store);
  // Parsers, validation and the store's error envelopes belong to each protocol's plugin (api/); the root only
  // answers what falls outside them.
  discardBodies(app);
  installFallbackErrorHandler(app, options.debug ?? false);
  // The guard goes first: a rebinding Host is refused even on a CORS preflight.
  installGuard(app, {
    bindHost: options.bindHost,
    allowedHosts: options.allowedHosts,
    corsOrigins: options.corsOrigins,
  });
  installCors(app, options.corsOrigins ?? []);
  installCompression(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'LightningStore API',
        version: '0.3',
        description:
          'Agent-lightning LightningStore: generation A (`/agl/v1`, v0.2.x clients and the dashboard) and ' +
          'generation B (`/v1/agl`, v0.3.x clients: pages, batch queue calls, workers, statistics).',
      },
      tags: [...Object.values(AGL_V1_TAGS), ...Object.values(V1_AGL_TAGS)].map((name) => ({ name })),
    },
  });
  // No validator badge: it would load an image from validator.swagger.io (blocked by our CSP, and it leaks the URL).
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await installStaticAndFallbacks(app, options.staticDir === undefined ? DEFAULT_STATIC_DIR : options.staticDir);

  // One store, one list cache: both generations read and write the same rollouts.
  const api: ApiPluginOptions = {
    store,
    lists: new ListCache(),
    apiKey: options.apiKey ?? null,
    debug: options.debug ?? false,
  };
  await app.register(aglV1Api, { ...api, prefix: API_PREFIX });
  await app.register(v1AglApi, { ...api, prefix: V1_API_PREFIX });
  await app.register(otlpApi, { store, apiKey: options.apiKey ?? null });

  store.start();
  app.addHook('preClose', async () => store.releaseWaits());
  app.addHook('onClose', async () => store.close());
  return app;
}
