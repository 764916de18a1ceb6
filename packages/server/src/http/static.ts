/**
 * The dashboard on the API's port (§1.3): `index.html` at `/` and as the SPA fallback, immutable hashed
 * `/assets`, JSON 404s for unknown API paths and anything that decodes to one (never HTML), 405 for other methods,
 * and 405 with `Allow` for a known API path called with the wrong method (§6.4).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const API_PATH = /^\/(agl|v1)(\/|$)/;
/** Rounds of percent-decoding tried: enough for any client that encodes twice by mistake, and bounded. */
const DECODE_ROUNDS = 3;

/**
 * Whether a path is under the API once percent-decoded and lower-cased (`/%61gl/v1/x`, `/AGL/V1/x`, `//agl/...`),
 * so that an API client with a mangled URL gets a JSON 404, never the dashboard's HTML.
 */
export function looksLikeApiPath(path: string): boolean {
  // An absolute-form request target (`GET http://host/agl/v1/x`, as proxies send it) is judged by its path.
  let current = path.startsWith('/') ? path : path.replace(/^[a-z][a-z\d+.-]*:\/\/[^/]*/i, '');
  for (let round = 0; round < DECODE_ROUNDS && current.includes('%'); round++) {
    // Byte by byte, so a malformed or non-UTF-8 escape elsewhere in the path cannot stop the check.
    current = current.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  return API_PATH.test(current.toLowerCase().replace(/\/{2,}/g, '/'));
}

interface RoutePattern {
  method: string;
  pattern: RegExp;
}

export async function installStaticAndFallbacks(app: FastifyInstance, staticDir: string | null): Promise<void> {
  const patterns: RoutePattern[] = [];
  app.addHook('onRoute', (route) => {
    if (!API_PATH.test(route.url)) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const pattern = new RegExp(`^${route.url.replace(/:[^/]+/g, '[^/]+')}$`);
    for (const method of methods) patterns.push({ method, pattern });
  });

  const hasDashboard = staticDir !== null && existsSync(join(staticDir, 'index.html'));
  if (staticDir !== null && !hasDashboard) {
    app.log.error(`no dashboard build in ${staticDir} (run \`npm run build\`); serving the API only`);
  }
  if (hasDashboard) {
    await app.register(fastifyStatic, {
      root: staticDir,
      prefix: '/',
      index: ['index.html'],
      cacheControl: false, // set below: hashed assets are immutable, the HTML entry point must revalidate
      setHeaders: (res, path) => {
        const immutable = path.startsWith(join(staticDir, 'assets'));
        res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (looksLikeApiPath(path)) {
      const allowed = [...new Set(patterns.filter((p) => p.pattern.test(path)).map((p) => p.method))];
      // A method listed in `Allow` reached here only because the router could not take the URL: not a 405.
      if (allowed.length > 0 && !allowed.includes(request.method))
        return reply.code(405).header('Allow', allowed.join(', ')).send({ detail: 'Method Not Allowed' });
      return reply.code(404).send({ detail: 'Not Found' });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return reply.code(405).send({ detail: 'Method Not Allowed' });
    // A missing hashed asset or Swagger UI file is a 404: the SPA's HTML in its place would only confuse the loader.
    if (!hasDashboard || path.startsWith('/assets/') || path.startsWith('/docs/')) {
      return reply.code(404).send({ detail: 'Not Found' });
    }
    return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').sendFile('index.html');
  });
}
