/**
 * The one way the dashboard talks to a store: `fetch` against `serverConfig.baseUrl` + `/agl/v1`, read live from
 * the Redux state, so a change in Settings re-targets the very next request.
 *
 * GETs revalidate with ETags (store-api.md §7g): the last ETag and parsed body are remembered per URL, sent back as
 * `If-None-Match`, and a `304` returns the previously returned object. Same reference means RTK Query's structural
 * sharing sees no change, so nothing re-parses and nothing re-renders when a poll finds no news. The browser's own
 * HTTP cache is bypassed (`cache: 'no-store'`) so it cannot answer 304s behind our back with a body we never parsed.
 */
import type { BaseQueryFn } from '@reduxjs/toolkit/query';

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

interface StateWithServerConfig {
  serverConfig: { baseUrl: string };
}

export const API_PREFIX = '/agl/v1';
const DEFAULT_TIMEOUT_MS = 30_000;

export function isApiError(error: unknown): error is ApiError {
  return typeof error === 'object' && error !== null && 'status' in error && 'message' in error;
}

/** Turns a store error body into one line: `detail` strings as-is, 422 entries as `loc: msg` (store-api.md §6). */
export function describeErrorBody(status: number, statusText: string, body: unknown): string {
  const detail = typeof body === 'object' && body !== null ? (body as { detail?: unknown }).detail : undefined;
  if (typeof detail === 'string' && detail !== '') return detail;
  if (Array.isArray(detail) && detail.length > 0) {
    return detail
      .map((entry: { loc?: unknown[]; msg?: unknown }) => {
        const loc = Array.isArray(entry.loc) ? entry.loc.join('.') : '';
        return loc ? `${loc}: ${String(entry.msg)}` : String(entry.msg);
      })
      .join('; ');
  }
  return `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
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

export function createStoreBaseQuery(
  options: StoreBaseQueryOptions = {},
): BaseQueryFn<ApiArgs, unknown, ApiError, ApiExtraOptions> {
  const remembered = new Map<string, Remembered>();
  const maxRemembered = options.maxRemembered ?? 200;

  return async (args, api, extraOptions) => {
    const { baseUrl } = (api.getState() as StateWithServerConfig).serverConfig;
    const url = buildUrl(baseUrl, args);
    const method = (typeof args === 'string' ? 'GET' : (args.method ?? 'GET')).toUpperCase();
    const body = typeof args === 'string' ? undefined : args.body;
    const isGet = method === 'GET';
    const previous = isGet ? remembered.get(url) : undefined;

    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (previous) headers['If-None-Match'] = previous.etag;

    const timeoutMs = extraOptions?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([api.signal, timeout]);

    let response: Response;
    try {
      response = await (options.fetchFn ?? fetch)(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        signal,
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
      remembered.delete(url);
      remembered.set(url, previous);
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
    if (isGet && etag) {
      remembered.delete(url);
      remembered.set(url, { etag, data: parsed });
      if (remembered.size > maxRemembered) {
        const oldest = remembered.keys().next().value;
        if (oldest !== undefined) remembered.delete(oldest);
      }
    } else if (isGet) {
      remembered.delete(url);
    }
    return { data: parsed };
  };
}
