/**
 * ETag/304 for the GET list endpoints (§7g). A list body is built once per store version and kept with its
 * content hash (equal bodies → equal tags) and its compressed forms, so a poll of an unchanged store answers a
 * 304 — or the cached bytes — without reading storage.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { appendVary, chooseEncoding, compress, type Encoding } from './compress.js';

interface Entry {
  version: string;
  etag: string;
  body: Buffer;
  encoded: Map<Encoding, Promise<Buffer>>;
}

/**
 * Cached bodies are bounded by total size (100k rollouts ≈ 60 MB) and by count (a client reading spans of random
 * ids must not grow memory one entry at a time); the least recently used go first.
 */
export const LIST_CACHE_LIMITS = { maxBytes: 256 * 1024 * 1024, maxEntries: 2_000 };

export class ListCache {
  private entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly limits = LIST_CACHE_LIMITS) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached entry for `key`, rebuilt with `build` when `version` moved on. */
  async get(
    key: string,
    versionOf: string | Promise<string>,
    build: () => Promise<string | { body: string; etag: string }>,
  ): Promise<Entry> {
    // Awaited before `build` reads anything: a body is never older than the version it is cached under.
    const version = await versionOf;
    const cached = this.entries.get(key);
    if (cached && cached.version === version) {
      this.entries.delete(key); // most recently used last
      this.entries.set(key, cached);
      return cached;
    }
    const built = await build();
    const body = Buffer.from(typeof built === 'string' ? built : built.body);
    const etag = typeof built === 'string' ? `W/"${createHash('sha1').update(body).digest('base64url')}"` : built.etag;
    const entry: Entry = { version, etag, body, encoded: new Map() };
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    for (const [oldKey, old] of this.entries) {
      if (this.bytes + body.length <= this.limits.maxBytes && this.entries.size < this.limits.maxEntries) break;
      this.remove(oldKey, old);
    }
    this.entries.set(key, entry);
    this.bytes += body.length;
    return entry;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.body.length;
  }
}

export async function sendList(request: FastifyRequest, reply: FastifyReply, entry: Entry): Promise<FastifyReply> {
  reply.header('ETag', entry.etag);
  reply.header('Cache-Control', 'no-cache');
  if (matchesIfNoneMatch(request.headers['if-none-match'], entry.etag)) return reply.code(304).send();
  reply.type('application/json');
  const encoding = entry.body.length >= 1024 ? chooseEncoding(request) : null;
  if (entry.body.length >= 1024) reply.header('Vary', appendVary(reply.getHeader('vary'), 'Accept-Encoding'));
  if (!encoding) return reply.send(entry.body);
  let encoded = entry.encoded.get(encoding);
  if (!encoded) entry.encoded.set(encoding, (encoded = compress(entry.body, encoding)));
  reply.header('Content-Encoding', encoding);
  return reply.send(await encoded);
}

/** Weak comparison (RFC 9110 §13.1.2): `W/` prefixes are ignored; `*` matches anything. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}
