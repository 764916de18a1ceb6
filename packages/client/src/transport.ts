/**
 * One JSON request over HTTP with the reference client's failure policy (docs/protocol.md §1.5): connection errors,
 * timeouts, 408 and 5xx are retried with backoff; every other 4xx is raised at once. Node's global fetch keeps
 * connections alive, so no agent is needed; a pooled socket the server has closed shows up as a network error and
 * is retried on a fresh connection.
 */
import { StoreError, type StoreErrorKind } from './errors.js';

export interface TransportOptions {
  /** Root of the `/agl/v1` API, without a trailing slash. */
  apiUrl: string;
  timeoutMs: number;
  retries: number;
  retryDelaysMs: readonly number[];
  fetch: typeof fetch;
  /** Sent with every request (the API key's `Authorization` header). */
  headers: Record<string, string>;
}

/** What both clients take: where the store is, how hard to try, and the optional API key. */
export interface ClientOptions {
  /** Server address, e.g. `http://127.0.0.1:4747`; a trailing API prefix is accepted too. */
  baseUrl: string;
  /** Per-try timeout in ms (default 30 s, like the reference client). */
  timeoutMs?: number;
  /** Extra tries after the first for connection errors, timeouts, 408 and 5xx (default 3: four tries in all). */
  retries?: number;
  /** Delay before retry n (the last entry repeats); default 1 s, 2 s, 5 s as in the reference client. */
  retryDelaysMs?: readonly number[];
  /** A fetch implementation (default: the global one, which keeps connections alive). */
  fetch?: typeof fetch;
  /** The store's API key (`--api-key`), sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
}

/** Transport settings for an API under `prefix` of the store at `options.baseUrl`. */
export function transportFor(options: ClientOptions, prefix: string): TransportOptions {
  const root = options.baseUrl.replace(/\/+$/, '');
  return {
    apiUrl: root.endsWith(prefix) ? root : `${root}${prefix}`,
    timeoutMs: options.timeoutMs ?? 30_000,
    retries: options.retries ?? 3,
    retryDelaysMs: options.retryDelaysMs ?? [1000, 2000, 5000],
    fetch: options.fetch ?? globalThis.fetch,
    headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
  };
}

export interface RequestOptions {
  /** Cancels the call, including retry delays; never retried. */
  signal?: AbortSignal;
  /** Overrides the client's per-try timeout; `null` means no timeout (unbounded waits). */
  timeoutMs?: number | null;
}

export interface CallSpec extends RequestOptions {
  method: 'GET' | 'POST';
  /** Path under `/agl/v1`, starting with `/`, query string included. */
  path: string;
  body?: unknown;
  /** Send the request only once (dequeue). */
  noRetry?: boolean;
}

/** Statuses worth another try: the server may answer differently a moment later. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status >= 500;
}

export async function callJson<T>(options: TransportOptions, spec: CallSpec): Promise<T> {
  const fullPath = `${options.apiUrl.replace(/^https?:\/\/[^/]+/, '')}${spec.path}`;
  const maxTries = spec.noRetry ? 1 : Math.max(0, options.retries) + 1;
  for (let tries = 1; ; tries++) {
    let failure: StoreError;
    try {
      return await sendOnce<T>(options, spec, fullPath, tries);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      failure = error;
    }
    const retryable = failure.kind === 'http' ? isRetryableStatus(failure.status ?? 0) : failure.kind !== 'aborted';
    if (!retryable || tries >= maxTries) throw failure;
    const delay = options.retryDelaysMs[Math.min(tries - 1, options.retryDelaysMs.length - 1)] ?? 1000;
    await sleep(delay, spec.signal, () => failure);
  }
}

async function sendOnce<T>(options: TransportOptions, spec: CallSpec, fullPath: string, tries: number): Promise<T> {
  const timeoutMs = spec.timeoutMs === undefined ? options.timeoutMs : spec.timeoutMs;
  const timeout = timeoutMs === null ? null : AbortSignal.timeout(timeoutMs);
  const signals = [timeout, spec.signal].filter((s): s is AbortSignal => s !== null && s !== undefined);
  const signal = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
  const init: RequestInit = {
    method: spec.method,
    headers: { ...options.headers, accept: 'application/json' },
    signal,
  };
  if (spec.body !== undefined) {
    init.body = JSON.stringify(spec.body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const fail = (kind: StoreErrorKind, cause: unknown, extra: Partial<ConstructorParameters<typeof StoreError>[0]>) =>
    new StoreError({ kind, method: spec.method, path: fullPath, tries, cause, ...extra });

  let status: number;
  let text: string;
  try {
    const response = await options.fetch(`${options.apiUrl}${spec.path}`, init);
    status = response.status;
    // Reading the body is part of the try: the timeout also covers a server that stalls mid-body.
    text = await response.text();
  } catch (error) {
    if (spec.signal?.aborted) throw fail('aborted', spec.signal.reason ?? error, {});
    if (timeout?.aborted) throw fail('timeout', error, {});
    throw fail('network', error, {});
  }

  const body = parseJson(text);
  if (status >= 200 && status < 300) {
    // `200 null` (missing lookups, empty dequeue) arrives as the JSON literal; an empty body reads as null too.
    return (body === undefined ? null : body) as T;
  }
  const detail = isDetailBody(body) ? body.detail : text.length > 0 ? text : null;
  throw fail('http', undefined, { status, detail, body });
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isDetailBody(body: unknown): body is { detail: StoreError['detail'] } {
  return typeof body === 'object' && body !== null && 'detail' in body;
}

/** Waits `ms`, or rejects with the caller's abort (as an `aborted` StoreError) if the signal fires first. */
function sleep(ms: number, signal: AbortSignal | undefined, lastFailure: () => StoreError): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      const last = lastFailure();
      reject(new StoreError({ kind: 'aborted', method: last.method, path: last.path, tries: last.tries, cause: last }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
