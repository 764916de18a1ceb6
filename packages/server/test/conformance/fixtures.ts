/**
 * Shared builders for the HTTP conformance suites: a server per test, valid request bodies, and thin wrappers
 * that assert the success status of the call they make (so a test reads as the behaviour it checks).
 * Keep this file additive: the other conformance suites import it too.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { makeSpan } from '../../../../scripts/lib/spans.mjs';
import type { AppOptions } from '../../src/app.js';
import { startServer, type ApiResponse, type EngineKind, type TestServer } from '../helpers/http.js';

export type Api = TestServer['api'];
/** A decoded JSON object from a response (rollouts, attempts, spans…). */
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type ServerOptions = Omit<AppOptions, 'storage'>;

export const ROLLOUT_ID_RE = /^ro-[0-9a-f]{12}$/;
export const ATTEMPT_ID_RE = /^at-[0-9a-f]{8}$/;

/** Well-formed IDs the store never issues (its hex is random, so an all-zero ID is as good as unknown). */
export const UNKNOWN_ROLLOUT_ID = 'ro-000000000000';
export const UNKNOWN_ATTEMPT_ID = 'at-00000000';

export const ROLLOUT_KEYS = [
  'rollout_id',
  'input',
  'start_time',
  'end_time',
  'mode',
  'resources_id',
  'status',
  'config',
  'metadata',
];
export const ATTEMPT_KEYS = [
  'rollout_id',
  'attempt_id',
  'sequence_id',
  'start_time',
  'end_time',
  'status',
  'worker_id',
  'last_heartbeat_time',
  'metadata',
];
export const DEFAULT_CONFIG = {
  timeout_seconds: null,
  unresponsive_seconds: null,
  max_attempts: 1,
  retry_condition: [],
};

/**
 * A fresh server for every test of the enclosing describe (queue state must not leak between tests).
 * Read `.api`/`.server` inside tests only.
 */
export function useServer(
  engine: EngineKind,
  options: ServerOptions = {},
): { readonly api: Api; readonly server: TestServer } {
  let current: TestServer | null = null;
  beforeEach(async () => {
    current = await startServer(engine, options);
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
  const server = (): TestServer => {
    if (!current) throw new Error('useServer: no server outside a test');
    return current;
  };
  return {
    get api() {
      return server().api;
    },
    get server() {
      return server();
    },
  };
}

/**
 * One server for the whole describe, its queue drained before every test: a fresh server costs ~0.2 s, and tests
 * that only touch their own rollouts need no more isolation than an empty queue. Use `useServer` when a test reads
 * whole-store lists.
 */
export function useSharedServer(
  engine: EngineKind,
  options: ServerOptions = {},
): { readonly api: Api; readonly server: TestServer } {
  let current: TestServer | null = null;
  beforeAll(async () => {
    current = await startServer(engine, options);
  });
  beforeEach(async () => {
    if (current) await drainQueue(current.api);
  });
  afterAll(async () => {
    await current?.close();
    current = null;
  });
  const server = (): TestServer => {
    if (!current) throw new Error('useSharedServer: no server outside a test');
    return current;
  };
  return {
    get api() {
      return server().api;
    },
    get server() {
      return server();
    },
  };
}

/** Dequeues until the queue is empty (claiming leftovers of earlier tests); fails if it never empties. */
export async function drainQueue(api: Api, maxClaims = 1000): Promise<void> {
  for (let i = 0; i < maxClaims; i++) {
    if ((await dequeue(api)) === null) return;
  }
  throw new Error(`drainQueue: queue still not empty after ${maxClaims} dequeues`);
}

/** Runs `fn` against its own server and always closes it; for `it.concurrent` tests, which cannot share hooks. */
export async function withServer<T>(
  engine: EngineKind,
  fn: (api: Api, server: TestServer) => Promise<T>,
  options: ServerOptions = {},
): Promise<T> {
  const server = await startServer(engine, options);
  try {
    return await fn(server.api, server);
  } finally {
    await server.close();
  }
}

/** Asserts the status, showing the body on failure, and returns the decoded body. */
export function expectStatus(res: ApiResponse, status: number): Json {
  expect(res.status, `HTTP ${res.status}: ${res.text}`).toBe(status);
  return res.body;
}

export const nowSeconds = (): number => Date.now() / 1000;

/** A server timestamp: float epoch seconds within `toleranceSeconds` of this machine's clock. */
export function expectRecentTime(value: unknown, toleranceSeconds = 10): void {
  expect(typeof value).toBe('number');
  expect(Math.abs((value as number) - nowSeconds())).toBeLessThan(toleranceSeconds);
}

export const enqueue = async (api: Api, body: Json = { input: null }): Promise<Json> =>
  expectStatus(await api('POST', '/queues/rollouts/enqueue', body), 201);

/** Dequeues; the result is an AttemptedRollout or `null`. */
export const dequeue = async (api: Api): Promise<Json> =>
  expectStatus(await api('POST', '/queues/rollouts/dequeue'), 200);

/** `POST /rollouts`: a rollout started at once with attempt 1. */
export const startRollout = async (api: Api, body: Json = { input: null }): Promise<Json> =>
  expectStatus(await api('POST', '/rollouts', body), 201);

export const startAttempt = async (api: Api, rolloutId: string): Promise<Json> =>
  expectStatus(await api('POST', `/rollouts/${rolloutId}/attempts`), 201);

export const getRollout = async (api: Api, rolloutId: string): Promise<Json> =>
  expectStatus(await api('GET', `/rollouts/${rolloutId}`), 200);

export const listRollouts = async (api: Api): Promise<Json[]> => expectStatus(await api('GET', '/rollouts'), 200);

export const searchRollouts = async (api: Api, query: Json): Promise<Json[]> =>
  expectStatus(await api('POST', '/rollouts/search', query), 200);

export const updateRollout = async (api: Api, rolloutId: string, patch: Json): Promise<Json> =>
  expectStatus(await api('POST', `/rollouts/${rolloutId}`, patch), 200);

export const listAttempts = async (api: Api, rolloutId: string): Promise<Json[]> =>
  expectStatus(await api('GET', `/rollouts/${rolloutId}/attempts`), 200);

export const latestAttempt = async (api: Api, rolloutId: string): Promise<Json> =>
  expectStatus(await api('GET', `/rollouts/${rolloutId}/attempts/latest`), 200);

/** Updates an attempt by ID or `latest`. */
export const updateAttempt = async (api: Api, rolloutId: string, attemptId: string, patch: Json): Promise<Json> =>
  expectStatus(await api('POST', `/rollouts/${rolloutId}/attempts/${attemptId}`, patch), 200);

export const querySpans = async (api: Api, rolloutId: string, attemptId?: string): Promise<Json[]> => {
  const query = new URLSearchParams({
    rollout_id: rolloutId,
    ...(attemptId === undefined ? {} : { attempt_id: attemptId }),
  });
  return expectStatus(await api('GET', `/spans?${query}`), 200);
};

export { randomHex } from '../../../../scripts/lib/spans.mjs';

/** A complete, valid Span body (every required key present); `span_id` is fresh unless overridden. */
export const spanBody = (rolloutId: string, attemptId: string, sequenceId: number, overrides: Json = {}): Json =>
  makeSpan(rolloutId, attemptId, sequenceId, overrides);

/** Posts a new span (expects 201) and returns the stored span. */
export const addSpan = async (
  api: Api,
  rolloutId: string,
  attemptId: string,
  sequenceId: number,
  overrides: Json = {},
): Promise<Json> =>
  expectStatus(await api('POST', '/spans', spanBody(rolloutId, attemptId, sequenceId, overrides)), 201);

/** Strips `attempt` so a rollout read can be compared with a Rollout-only response. */
export function withoutAttempt(rollout: Json): Json {
  const { attempt: _attempt, ...rest } = rollout;
  return rest;
}
