/**
 * Response compression (§7g): brotli when accepted, else gzip; bodies under 1 KiB, 304s and empty bodies stay
 * as they are. Settings favour speed: these are API responses produced on every request, not static files.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type Encoding = 'br' | 'gzip';
const MIN_BYTES = 1024;
/** Above this size compression moves off the event loop (zlib's thread pool). */
const ASYNC_BYTES = 256 * 1024;

const brotliAsync = promisify(zlib.brotliCompress);
const gzipAsync = promisify(zlib.gzip);

function brotliOptions(size: number): zlib.BrotliOptions {
  return {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: size > 4 * 1024 * 1024 ? 1 : 4,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    },
  };
}

const gzipOptions = (size: number): zlib.ZlibOptions => ({ level: size > 4 * 1024 * 1024 ? 1 : 5 });

export function chooseEncoding(request: FastifyRequest): Encoding | null {
  const header = request.headers['accept-encoding'];
  if (typeof header !== 'string') return null;
  const accepted = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name!.trim(), q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return null;
}

export async function compress(body: Buffer, encoding: Encoding): Promise<Buffer> {
  if (body.length < ASYNC_BYTES) {
    return encoding === 'br'
      ? zlib.brotliCompressSync(body, brotliOptions(body.length))
      : zlib.gzipSync(body, gzipOptions(body.length));
  }
  return encoding === 'br' ? brotliAsync(body, brotliOptions(body.length)) : gzipAsync(body, gzipOptions(body.length));
}

export function installCompression(app: FastifyInstance): void {
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    if (reply.statusCode === 304 || reply.hasHeader('content-encoding')) return done(null, payload);
    // Strings are measured in UTF-16 units first: a cheap lower bound that skips small bodies without copying.
    if (typeof payload === 'string' ? payload.length < MIN_BYTES / 4 : !Buffer.isBuffer(payload)) {
      return done(null, payload); // small, or a stream (static files go out as they are)
    }
    const body = typeof payload === 'string' ? Buffer.from(payload) : (payload as Buffer);
    if (body.length < MIN_BYTES) return done(null, payload);
    reply.header('Vary', appendVary(reply.getHeader('vary'), 'Accept-Encoding'));
    const encoding = chooseEncoding(request);
    if (!encoding) return done(null, payload);
    reply.header('Content-Encoding', encoding);
    reply.removeHeader('content-length');
    compress(body, encoding).then((compressed) => done(null, compressed), done);
  });
}

export function appendVary(current: unknown, value: string): string {
  const existing = typeof current === 'string' && current.length > 0 ? current.split(',').map((v) => v.trim()) : [];
  return existing.some((v) => v.toLowerCase() === value.toLowerCase())
    ? existing.join(', ')
    : [...existing, value].join(', ');
}
