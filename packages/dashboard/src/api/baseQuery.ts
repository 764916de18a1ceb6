/**
 * The one way the dashboard talks to a store: `fetch` against `serverConfig.baseUrl` + `/agl/v1`, read live from
 * the Redux state, so a change in Settings re-targets the very next request. The API key, when set, goes with every
 * request as `Authorization: Bearer <key>` (never in the URL, never in an error message).
 *
 * GETs revalidate with ETags (docs/protocol.md §7g): the last ETag and parsed body are remembered per URL, sent back as
 * `If-None-Match`, and a `304` returns the previously returned object. Same reference means RTK Query's structural
 * sharing sees no change, so nothing re-parses and nothing re-renders when a poll finds no news. The browser's own
 * HTTP cache is bypassed (`cache: 'no-store'`) so it cannot answer 304s behind our back with a body we never parsed.
 */
import type { BaseQueryFn } from '@reduxjs/toolkit/query';
import { API_PREFIX, describeErrorBody } from '@agl/schemas';

export type ApiArgs =
  string | { url: string; method?: string; body?: unknown; params?: Record<string, string | null | undefined> };

export interface ApiError {
  /** The HTTP status, or why no response came back. */
  status: number | 'FETCH_ERROR' | 'TIMEOUT_ERROR' | 'PARSE_ERROR';
  /** Human-readable, preferring the server's own `detail` message. */
  message: string;
}

export interface ApiExtraOptions {
  /** Abort after this long; health uses a short one so the indicator turns red quickly. */
  timeoutMs?: number;
}

/** The part of the app state this reads; declared here so the API layer does not depend on the app's store. */
interface StateWithServerConfig {
  serverConfig: { baseUrl: string; apiKey?: string };
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function isApiError(error: unknown): error is ApiError {
  return typeof error === 'object' && error !== null && 'status' in error && 'message' in error;
}

function buildUrl(baseUrl: string, args: ApiArgs): string {
  const { url, params } = typeof args === 'string' ? { url: args, params: undefined } : args;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value !== null && value !== undefined) query.set(key, value);
  }
  const search = query.toString();
  return `${baseUrl.replace(/\/+$/, '')}${API_PREFIX}${url}${search ? `?${search}` : ''}`;
}

interface Remembered {
  etag: string;
  data: unknown;
}

export interface StoreBaseQueryOptions {
  /** Defaults to the global `fetch`, looked up per call so tests can stub it. */
  fetchFn?: typeof fetch;
  /** How many URLs keep an ETag; least recently used ones are forgotten. */
  maxRemembered?: number;
}

type Result = { data: unknown; error?: undefined } | { error: ApiError; data?: undefined };

export function createStoreBaseQuery(
  options: StoreBaseQueryOptions = {},
): BaseQueryFn<ApiArgs, unknown, ApiError, ApiExtraOptions> {
  const remembered = new Map<string, Remembered>();
  const maxRemembered = options.maxRemembered ?? 200;

  function remember(url: string, entry: Remembered | null): void {
    remembered.delete(url);
    if (!entry) return;
    remembered.set(url, entry);
    if (remembered.size > maxRemembered) {
      const oldest = remembered.keys().next().value;
      if (oldest !== undefined) remembered.delete(oldest);
    }
  }

  async function send(
    args: ApiArgs,
    { baseUrl, apiKey }: StateWithServerConfig['serverConfig'],
    outerSignal: AbortSignal,
    timeoutMs: number,
  ): Promise<Result> {
    const url = buildUrl(baseUrl, args);
    const method = (typeof args === 'string' ? 'GET' : (args.method ?? 'GET')).toUpperCase();
    const body = typeof args === 'string' ? undefined : args.body;
    const isGet = method === 'GET';
    const previous = isGet ? remembered.get(url) : undefined;

    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (previous) headers['If-None-Match'] = previous.etag;
    if (apiKey) headers.Authorization = `Bearer ${apiKey}`;

    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await (options.fetchFn ?? fetch)(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        signal: AbortSignal.any([outerSignal, timeout]),
      });
    } catch (error) {
      if (timeout.aborted) {
        return {
          error: { status: 'TIMEOUT_ERROR', message: `No answer from ${baseUrl} within ${timeoutMs / 1000} s` },
        };
      }
      const reason = error instanceof Error ? error.message : String(error);
      return { error: { status: 'FETCH_ERROR', message: `Cannot reach ${baseUrl} (${reason})` } };
    }

    if (response.status === 304 && previous) {
      // Refresh the LRU position; the body is the one we returned last time, by reference.
      remember(url, previous);
      return { data: previous.data };
    }

    let parsed: unknown = null;
    try {
      const text = await response.text();
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      if (response.ok) {
        return {
          error: { status: 'PARSE_ERROR', message: `The store at ${baseUrl} sent a response that is not JSON` },
        };
      }
    }

    if (!response.ok) {
      return {
        error: { status: response.status, message: describeErrorBody(response.status, response.statusText, parsed) },
      };
    }

    const etag = response.headers.get('ETag');
    if (isGet) remember(url, etag ? { etag, data: parsed } : null);
    return { data: parsed };
  }

  return async (args, api, extraOptions) => {
    const config = () => (api.getState() as StateWithServerConfig).serverConfig;
    const timeoutMs = extraOptions?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const sent = config();
    const result = await send(args, sent, api.signal, timeoutMs);
    // A 401 to a key that was replaced while the request was out (the user just saved one) says nothing about the
    // new key: ask again with it rather than report the old key as refused.
    const now = config();
    if (result.error?.status === 401 && now.baseUrl === sent.baseUrl && (now.apiKey ?? '') !== (sent.apiKey ?? '')) {
      return send(args, now, api.signal, timeoutMs);
    }
    return result;
  };
}
