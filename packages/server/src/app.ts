/**
 * The store server as a Fastify plugin-style factory: `buildApp` wires storage, store, HTTP conventions, routes
 * and the dashboard, and never listens (the CLI does). Tests build it with an in-memory or temporary SQLite store.
 */
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { API_PREFIX } from '@agl/schemas';
import { registerBodyParsers, requireJsonBodies } from './http/body.js';
import { installCompression } from './http/compress.js';
import { connectionServerOptions, installConnectionLimits } from './http/connections.js';
import { installCors } from './http/cors.js';
import { installErrorHandler } from './http/errors.js';
import { installGuard, requireApiKey } from './http/guard.js';
import { ListCache } from './http/list-cache.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { installStaticAndFallbacks } from './http/static.js';
import { attemptRoutes } from './routes/attempts.js';
import type { RouteContext } from './routes/context.js';
import { healthAndWaitRoutes } from './routes/health-and-waits.js';
import { resourceRoutes } from './routes/resources.js';
import { rolloutRoutes } from './routes/rollouts.js';
import { spanRoutes } from './routes/spans.js';
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
  // Validation happens in the handlers with the shared schemas (http/validate.ts), which answer in the
  // FastAPI shape the spec requires; route schemas only document the API.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerBodyParsers(app);
  installErrorHandler(app, options.debug ?? false, (error) => store.describeError(error));
  installCors(app, options.corsOrigins ?? []);
  installGuard(app, {
    bindHost: options.bindHost,
    allowedHosts: options.allowedHosts,
    corsOrigins: options.corsOrigins,
  });
  installCompression(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'LightningStore API',
        version: '0.2',
        description: 'Agent-lightning LightningStore, generation A (`/agl/v1`).',
      },
    },
  });
  // No validator badge: it would load an image from validator.swagger.io (blocked by our CSP, and it leaks the URL).
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await installStaticAndFallbacks(app, options.staticDir === undefined ? DEFAULT_STATIC_DIR : options.staticDir);

  const context: RouteContext = { store, lists: new ListCache() };
  await app.register(
    async (api) => {
      // §2.1: paths match exactly, so an empty segment (`/rollouts/`, `//`) is an unknown path, not an empty id.
      api.addHook('onRequest', (request, reply, done) => {
        if (/\/\/|\/(\?|$)/.test(request.url)) return reply.callNotFound();
        done();
      });
      if (options.apiKey) api.addHook('onRequest', requireApiKey(options.apiKey));
      api.addHook('onRequest', (request, reply, done) => {
        if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
        requireJsonBodies(request, reply, done);
      });
      // §5.5: a (debounced) watchdog scan before every store request except health, add span and next id.
      // Hot-path hooks use callbacks, not async functions: a promise per hook per request is measurable at 10k req/s.
      api.addHook('preHandler', (request, _reply, done) => {
        const scan = request.routeOptions.config.watchdog === false ? null : store.beforeRequest();
        if (!scan) return done();
        scan.then(
          () => done(),
          () => done(),
        ); // a failing scan is the watchdog's problem, not this request's
      });
      for (const routes of [healthAndWaitRoutes, rolloutRoutes, attemptRoutes, resourceRoutes, spanRoutes]) {
        await api.register(routes, context);
      }
    },
    { prefix: API_PREFIX },
  );

  store.start();
  app.addHook('preClose', async () => store.releaseWaits());
  app.addHook('onClose', async () => store.close());
  return app;
}
