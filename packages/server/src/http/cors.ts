/** Opt-in CORS of §1.4: allowed origins are echoed (never `*`), with credentials; preflights answered here. */
import type { FastifyInstance } from 'fastify';

export function installCors(app: FastifyInstance, origins: string[]): void {
  const allowed = new Set(origins.map((o) => o.trim()).filter((o) => o.length > 0));
  if (allowed.size === 0) return; // no CORS headers at all
  const isAllowed = (origin: string) => allowed.has('*') || allowed.has(origin);

  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string') return;
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (!isAllowed(origin)) {
      if (preflight) return reply.code(400).type('text/plain').send('Disallowed CORS origin');
      return;
    }
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Access-Control-Allow-Credentials', 'true');
    reply.header('Vary', 'Origin');
    // Lets a dashboard on another origin read ETags and revalidate (an addition old clients ignore).
    reply.header('Access-Control-Expose-Headers', 'ETag');
    if (preflight) {
      reply.header('Access-Control-Allow-Methods', 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT');
      const requested = request.headers['access-control-request-headers'];
      if (requested) reply.header('Access-Control-Allow-Headers', requested);
      reply.header('Access-Control-Max-Age', '600');
      return reply.code(200).type('text/plain').send('OK');
    }
  });
}
