import { describeErrorDetail, type ValidationIssue } from '@agl/schemas';

/**
 * Why a request failed:
 * - `http`: the server answered with a non-2xx status (`status` and `detail` are the server's);
 * - `network`: no answer at all (connection refused or reset, DNS…), after all retries;
 * - `timeout`: no complete answer within the request timeout, after all retries;
 * - `aborted`: the caller's `AbortSignal` fired (never retried).
 */
export type StoreErrorKind = 'http' | 'network' | 'timeout' | 'aborted';

export interface StoreErrorInit {
  kind: StoreErrorKind;
  method: string;
  path: string;
  status?: number | null;
  detail?: string | ValidationIssue[] | null;
  body?: unknown;
  tries?: number;
  cause?: unknown;
}

/** Every failure of a `LightningStoreClient` call. */
export class StoreError extends Error {
  readonly kind: StoreErrorKind;
  /** HTTP status, or `null` when the server never answered. */
  readonly status: number | null;
  /** The server's `detail`: a message (400/404/405/500) or the 422 issue list; `null` without one. */
  readonly detail: string | ValidationIssue[] | null;
  /** The decoded response body (for extra keys such as `error_type` on a 500). */
  readonly body: unknown;
  readonly method: string;
  /** Request path including the `/agl/v1` prefix and any query string. */
  readonly path: string;
  /** How many times the request was sent before giving up. */
  readonly tries: number;

  constructor(init: StoreErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'StoreError';
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.detail = init.detail ?? null;
    this.body = init.body;
    this.method = init.method;
    this.path = init.path;
    this.tries = init.tries ?? 1;
  }

  /** The 422 issue list, or `[]` for any other error. */
  get issues(): ValidationIssue[] {
    return Array.isArray(this.detail) ? this.detail : [];
  }
}

function describe(init: StoreErrorInit): string {
  const where = `${init.method} ${init.path}`;
  if (init.kind !== 'http') {
    const reason = init.cause instanceof Error ? `: ${causeMessage(init.cause)}` : '';
    return `${where} ${init.kind === 'timeout' ? 'timed out' : init.kind}${reason}`;
  }
  const detail = describeErrorDetail(init.detail);
  return `${where} → ${init.status}${detail ? ` ${detail}` : ''}`;
}

/** fetch wraps socket errors as `TypeError: fetch failed` with the useful part (`ECONNREFUSED`…) in `cause`. */
function causeMessage(error: Error): string {
  const inner = error.cause;
  if (inner instanceof Error) return `${error.message} (${inner.message})`;
  return error.message;
}
