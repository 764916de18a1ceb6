/**
 * Who may talk to the store at all, checked before anything else runs (docs/security.md):
 *
 * - **Host** (DNS rebinding): a server bound to loopback answers only requests addressed to a loopback name, so a web
 *   page whose domain was re-pointed at 127.0.0.1 cannot read or write the store. `allowedHosts` adds names (a
 *   reverse proxy's public name) and turns the check on for any bind address.
 * - **Origin** (cross-site writes): a state-changing request sent by a browser from another origin is refused unless
 *   that origin is one of `--cors-origin`. Non-browser clients (the Python client, runners) send no `Origin`.
 * - **API key** (optional, `requireApiKey`): with a key set, every API route carries it as `Authorization: Bearer
 *   <key>`, `x-api-key: <key>` or HTTP Basic with the key as the password (what aiohttp sends for
 *   `http://user:key@host`). It is installed inside each API plugin, so it follows the routes the router matched —
 *   however the URL was spelled (`/%61gl/v1/…` decodes to an API route too). Routes marked `config.public` (health)
 *   stay open so liveness probes and the reference client's retry check keep working.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';

export interface GuardOptions {
  /** The address the server binds; a loopback bind only accepts loopback `Host` headers. */
  bindHost?: string;
  /** Extra accepted `Host` names (with or without port); when given, the Host check applies to any bind. */
  allowedHosts?: string[];
  /** Browser origins allowed to call the API (`--cors-origin`); `*` allows any. */
  corsOrigins?: string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function installGuard(app: FastifyInstance, options: GuardOptions): void {
  const hostCheck = makeHostCheck(options.bindHost, options.allowedHosts ?? []);
  const origins = new Set((options.corsOrigins ?? []).map((o) => o.trim()).filter((o) => o.length > 0));

  app.addHook('onRequest', (request, reply, done) => {
    const host = request.headers.host;
    if (hostCheck && host !== undefined && !hostCheck(host)) {
      return refuse(
        reply,
        403,
        `Host '${host}' is not allowed: this store only answers requests addressed to it by a loopback name. ` +
          'Behind a reverse proxy, start it with --allowed-host <name>.',
      );
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !SAFE_METHODS.has(request.method) && !isAllowedOrigin(origin, host, origins)) {
      return refuse(
        reply,
        403,
        `Cross-origin request from ${origin} refused; to let a dashboard on that origin use this store, ` +
          `start it with --cors-origin ${origin}.`,
      );
    }
    done();
  });
}

/**
 * An `onRequest` hook for an API plugin: 401 unless the request carries the key. Routes marked `config.public` are
 * open; a plugin that routes by wildcard (the upstream proxy) says which requests are open with `isPublic`.
 */
export function requireApiKey(
  apiKey: string,
  isPublic: (request: FastifyRequest) => boolean = (request) => request.routeOptions.config.public === true,
): onRequestHookHandler {
  const expected = digest(apiKey);
  return (request, reply, done) => {
    if (request.method === 'OPTIONS' || isPublic(request) || hasKey(request, expected)) return done();
    reply.header('WWW-Authenticate', 'Bearer realm="agl-store"');
    refuse(reply, 401, 'Invalid or missing API key');
  };
}

function refuse(reply: FastifyReply, status: number, detail: string): void {
  reply.code(status).type('application/json').send({ detail });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compares digests, so the comparison takes the same time whatever the key's length or content. */
function hasKey(request: FastifyRequest, expected: Buffer): boolean {
  const candidate = presentedKey(request);
  return candidate !== null && timingSafeEqual(digest(candidate), expected);
}

function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header;
  const auth = request.headers.authorization;
  if (typeof auth !== 'string') return null;
  const [scheme, value = ''] = auth.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? null : decoded.slice(colon + 1);
  }
  return null;
}

/** Same origin (the page was served by this very host) or listed with `--cors-origin`. */
function isAllowedOrigin(origin: string, host: string | undefined, allowed: Set<string>): boolean {
  if (allowed.has('*') || allowed.has(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false; // `null` (sandboxed frames, file://) and garbage are never the store's own origin
  }
}

/** Null when no Host check applies (a non-loopback bind without `allowedHosts`). */
function makeHostCheck(bindHost: string | undefined, allowedHosts: string[]): ((host: string) => boolean) | null {
  const extra = new Set(allowedHosts.map((h) => h.trim().toLowerCase()).filter((h) => h.length > 0));
  if (extra.size === 0 && !(bindHost !== undefined && isLoopbackName(bindHost))) return null;
  return (host) => {
    const value = host.trim().toLowerCase();
    const name = hostnameOf(value);
    return isLoopbackName(name) || extra.has(value) || extra.has(name) || extra.has('*');
  };
}

/** `example.com:80` → `example.com`; `[::1]:4747` → `::1`. */
function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') < 0 ? undefined : host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon >= 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

export function isLoopbackName(name: string): boolean {
  const host = name.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || host.startsWith('::ffff:127.');
  return false;
}
