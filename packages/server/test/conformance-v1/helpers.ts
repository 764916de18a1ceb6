/**
 * Builders for the `/v1/agl` conformance suites, on top of the generation-A fixtures: a client bound to the
 * `/v1/agl` prefix next to the `/agl/v1` one (the same server serves both), and wrappers that assert the success
 * status of the call they make.
 */
import { expect } from 'vitest';
import type { AppOptions } from '../../src/app.js';
import { call, type EngineKind, type TestServer } from '../helpers/http.js';
import {
  expectStatus,
  spanBody,
  useServer,
  useSharedServer,
  withServer,
  type Api,
  type Json,
} from '../conformance/fixtures.js';

type ServerOptions = Omit<AppOptions, 'storage'>;

/** `/v1/agl` calls on a test server. */
export function v1Api(server: TestServer): Api {
  return (method, path, body, headers) => call(`${server.url}/v1/agl${path}`, method, body, headers);
}

export interface V1Servers {
  /** `/v1/agl` */
  readonly b: Api;
  /** `/agl/v1` on the same server */
  readonly a: Api;
  readonly server: TestServer;
}

function bind(s: { readonly api: Api; readonly server: TestServer }): V1Servers {
  return {
    get b() {
      return v1Api(s.server);
    },
    get a() {
      return s.api;
    },
    get server() {
      return s.server;
    },
  };
}

/** A fresh server per test: for tests that read whole collections (totals, insertion order). */
export const useV1Server = (engine: EngineKind, options: ServerOptions = {}): V1Servers =>
  bind(useServer(engine, options));

/** One server for the describe, queue drained before each test: for tests that only read what they created. */
export const useSharedV1Server = (engine: EngineKind, options: ServerOptions = {}): V1Servers =>
  bind(useSharedServer(engine, options));

/** Runs `fn` against its own server (for `it.concurrent` tests). */
export const withV1Server = <T>(
  engine: EngineKind,
  fn: (b: Api, a: Api, server: TestServer) => Promise<T>,
  options: ServerOptions = {},
): Promise<T> => withServer(engine, (a, server) => fn(v1Api(server), a, server), options);

/** `{"rollouts": bodies}` → the enqueued rollouts, in request order. */
export const enqueueMany = async (b: Api, bodies: Json[]): Promise<Json[]> =>
  expectStatus(await b('POST', '/queues/rollouts/enqueue', { rollouts: bodies }), 201);

/** `n` rollouts with inputs 0…n-1. */
export const enqueueN = (b: Api, n: number, extra: Json = {}): Promise<Json[]> =>
  enqueueMany(
    b,
    Array.from({ length: n }, (_, i) => ({ input: i, ...extra })),
  );

/** Batch dequeue; `body` undefined sends no body at all. */
export const dequeueMany = async (b: Api, body?: Json): Promise<Json[]> =>
  expectStatus(await b('POST', '/queues/rollouts/dequeue', body), 200);

export const startRolloutB = async (b: Api, body: Json = { input: null }): Promise<Json> =>
  expectStatus(await b('POST', '/rollouts', body), 201);

export const startAttemptB = async (b: Api, rolloutId: string, body?: Json): Promise<Json> =>
  expectStatus(await b('POST', `/rollouts/${rolloutId}/attempts`, body), 201);

export const updateAttemptB = async (b: Api, rolloutId: string, attemptId: string, patch: Json): Promise<Json> =>
  expectStatus(await b('POST', `/rollouts/${rolloutId}/attempts/${attemptId}`, patch), 200);

/** Adds a new span through `/v1/agl` (201 with the span) and returns it. */
export const addSpanB = async (
  b: Api,
  rolloutId: string,
  attemptId: string,
  sequenceId: number,
  overrides: Json = {},
) => expectStatus(await b('POST', '/spans', spanBody(rolloutId, attemptId, sequenceId, overrides)), 201);

export const heartbeat = async (b: Api, workerId: string, body?: Json): Promise<Json> =>
  expectStatus(await b('POST', `/workers/${encodeURIComponent(workerId)}`, body), 200);

export const getWorker = async (b: Api, workerId: string): Promise<Json> =>
  expectStatus(await b('GET', `/workers/${encodeURIComponent(workerId)}`), 200);

/** A query string from parameters; arrays become repeated keys (`status_in=a&status_in=b`). */
export function queryString(params: Json = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** `GET <path>?<params>` → the page (asserting 200). */
export const page = async (b: Api, path: string, params: Json = {}): Promise<Json> =>
  expectStatus(await b('GET', `${path}${queryString(params)}`), 200);

/** `POST <path>/search` with `body` → the page (asserting 200). */
export const search = async (b: Api, path: string, body: Json = {}): Promise<Json> =>
  expectStatus(await b('POST', `${path}/search`, body), 200);

/** The GET page and the search page for the same parameters, asserted equal; returns the page. */
export async function bothWays(b: Api, path: string, params: Json = {}): Promise<Json> {
  const viaGet = await page(b, path, params);
  expect(await search(b, path, params)).toEqual(viaGet);
  return viaGet;
}

/** IDs of a page's items. */
export const ids = (result: Json, key = 'rollout_id'): string[] => result.items.map((item: Json) => item[key]);
