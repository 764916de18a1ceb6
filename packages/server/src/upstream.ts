/**
 * Dashboard-only mode (`agl-store --upstream <url>`): this process serves the dashboard and forwards every API
 * request to another LightningStore — typically the Python one, which sends no CORS headers, so a dashboard served
 * from another origin could not read it. Nothing is stored here.
 *
 * Requests and responses stream through unchanged (a 32 MiB span, a long-poll wait, a compressed 40 MB list), so the
 * upstream's answers — errors included — reach the dashboard as the upstream gave them. Only when the upstream cannot
 * be reached does this process answer itself, with a 502 (or 504) that names the upstream and the cause.
 *
 * The browser-facing defences stay here (Host and Origin checks, the optional API key, security headers); the
 * request that goes on carries no `Origin`, as a server-side client would, so the upstream's own cross-origin rule
 * does not refuse a write the dashboard made on this origin.
 */
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import replyFrom from '@fastify/reply-from';
import { DEFAULT_STATIC_DIR } from './app.js';
import type { ConnectionLimits } from './app.js';
import { connectionServerOptions, installConnectionLimits } from './http/connections.js';
import { installCors } from './http/cors.js';
import { installGuard, requireApiKey } from './http/guard.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { installStaticAndFallbacks } from './http/static.js';

export interface UpstreamAppOptions {
  /** The store that answers the API, e.g. `http://python-store:4747`. */
  upstream: string;
  corsOrigins?: string[];
  apiKey?: string | null;
  bindHost?: string;
  allowedHosts?: string[];
  limits?: ConnectionLimits;
  staticDir?: string | null;
  logger?: FastifyServerOptions['logger'];
  requestLogging?: boolean;
}

/** Paths that belong to the store (both protocol generations, OTLP, and the API docs). */
const FORWARDED = ['/agl', '/agl/*', '/v1', '/v1/*', '/docs', '/docs/*', '/openapi.json'];
/** Open without the API key, as on a store of its own: health, and the API docs (they hold no data). */
const PUBLIC_PATHS = new Set(['/agl/v1/health', '/v1/agl/health', '/docs', '/openapi.json']);

/** Decoded as the upstream's router will decode it, so `/%61gl/v1/…` is checked as what it reaches. */
function isPublic(request: FastifyRequest): boolean {
  let path: string;
  try {
    path = decodeURIComponent(request.url.split('?', 1)[0]!);
  } catch {
    return false;
  }
  return PUBLIC_PATHS.has(path) || path.startsWith('/docs/');
}

/** Request headers that describe this hop, not the request. */
const HOP_HEADERS = ['origin', 'referer', 'host', 'connection', 'keep-alive', 'proxy-connection'];

export async function buildUpstreamApp(options: UpstreamAppOptions): Promise<FastifyInstance> {
  const upstream = new URL(options.upstream);
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: !options.requestLogging }),
    routerOptions: { maxParamLength: 1024 * 1024 },
    ...connectionServerOptions(options.limits ?? {}),
  });
  installConnectionLimits(app, options.limits ?? {});
  installSecurityHeaders(app);
  // The guard goes first: a rebinding Host is refused even on a CORS preflight.
  installGuard(app, {
    bindHost: options.bindHost,
    allowedHosts: options.allowedHosts,
    corsOrigins: options.corsOrigins,
  });
  installCors(app, options.corsOrigins ?? []);

  await app.register(replyFrom, {
    base: upstream.origin,
    // A wait may legitimately hold its response for hours, and a large upload take minutes: no timeouts here.
    undici: { headersTimeout: 0, bodyTimeout: 0, connections: 128 },
  });
  await app.register(async (proxy) => {
    // Leave request bodies unread: reply-from streams the raw request on.
    proxy.removeAllContentTypeParsers();
    proxy.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    if (options.apiKey) proxy.addHook('onRequest', requireApiKey(options.apiKey, isPublic));
    for (const url of FORWARDED) {
      proxy.route({
        method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        url,
        handler: (request, reply) =>
          reply.from(request.url, {
            rewriteRequestHeaders: (_request, headers) => {
              const next = { ...headers };
              for (const name of HOP_HEADERS) delete next[name];
              return { ...next, host: upstream.host };
            },
            onError: (failed, { error }) => answerUnreachable(failed as FastifyReply, upstream.origin, error),
          }),
      });
    }
  });
  await installStaticAndFallbacks(app, options.staticDir === undefined ? DEFAULT_STATIC_DIR : options.staticDir);
  return app;
}

function answerUnreachable(
  reply: FastifyReply,
  origin: string,
  error: Error & { code?: string; cause?: unknown },
): void {
  // reply-from wraps what undici reported; the cause says what actually happened (ECONNREFUSED, ENOTFOUND…).
  const cause = (error.cause ?? {}) as { code?: string; message?: string };
  const code = cause.code ?? error.code ?? cause.message ?? error.message;
  const timeout = /TIMEOUT/.test(`${error.code} ${cause.code}`);
  reply
    .code(timeout ? 504 : 502)
    .type('application/json')
    .send({ detail: `The upstream store at ${origin} did not answer (${code})`, upstream: origin });
}
