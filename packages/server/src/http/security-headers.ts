/**
 * Browser hardening headers on every response, and a Content-Security-Policy on HTML pages (the
 * dashboard and Swagger UI at `/docs`). Neither page needs inline script: Vite emits module files and Swagger UI
 * loads its initializer from a file. Styles may be inline because Mantine injects them at runtime. `connect-src`
 * stays open to any http(s) origin because the dashboard can be pointed at another store in Settings.
 */
import type { FastifyInstance } from 'fastify';

export const BASE_SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
} as const;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' http: https:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export function installSecurityHeaders(app: FastifyInstance): void {
  // A callback hook, and the headers go into Fastify's own header object (no extra allocation per request).
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.headers(BASE_SECURITY_HEADERS);
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    }
    done(null, payload);
  });
}
