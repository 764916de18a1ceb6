/**
 * Test harness: a real server on an ephemeral loopback port, and a tiny JSON client over real HTTP.
 * `engines` lists the storage engines every conformance test runs against.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp, type AppOptions } from '../../src/app.js';
import { createSchema, dropSchema } from './pg-cluster.mjs';
import './provided.js';

export type EngineKind = 'memory' | 'sqlite' | 'postgres';
export const engines: EngineKind[] = ['memory', 'sqlite', 'postgres'];

/** A fresh, empty PostgreSQL store on the run's cluster (a schema of its own; test/setup/postgres.ts). */
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = await createSchema(inject('pgTestUrl'));
  return { url, drop: () => dropSchema(url) };
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  /** Same as `call`, bound to this server's `/agl/v1` prefix. */
  api: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ApiResponse>;
  close: () => Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body; `undefined` for an empty body. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export async function startServer(engine: EngineKind, options: Omit<AppOptions, 'storage'> = {}): Promise<TestServer> {
  let dir: string | null = null;
  let database: Awaited<ReturnType<typeof freshPostgres>> | null = null;
  let storage: AppOptions['storage'] = { kind: 'memory' };
  if (engine === 'sqlite') {
    dir = mkdtempSync(join(tmpdir(), 'agl-test-'));
    storage = { kind: 'sqlite', path: join(dir, 'store.db') };
  } else if (engine === 'postgres') {
    database = await freshPostgres();
    storage = { kind: 'postgres', url: database.url };
  }
  const app = await buildApp({ staticDir: null, ...options, storage });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    app,
    api: (method, path, body, headers) => call(`${url}/agl/v1${path}`, method, body, headers),
    close: async () => {
      await app.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}

/** One HTTP request; objects are sent as JSON, strings verbatim (to test malformed bodies). */
export async function call(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
