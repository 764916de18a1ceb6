/**
 * How a store error body reads as one line, written once for every consumer (client messages, dashboard errors):
 * a `detail` string as it is, a 422 issue list as `loc: msg` entries joined by `; ` (docs/protocol.md §6).
 */

/** The `detail` of an error body as one line, or null when it has none worth showing. */
export function describeErrorDetail(detail: unknown): string | null {
  if (typeof detail === 'string') return detail === '' ? null : detail;
  if (!Array.isArray(detail) || detail.length === 0) return null;
  return detail.map(describeIssue).join('; ');
}

function describeIssue(issue: unknown): string {
  const { loc, msg } = (typeof issue === 'object' && issue !== null ? issue : {}) as { loc?: unknown; msg?: unknown };
  const where = Array.isArray(loc) ? loc.join('.') : '';
  return where ? `${where}: ${String(msg)}` : String(msg);
}

/** `HTTP 503 Service Unavailable`: what an error without a usable body says. */
export function describeHttpStatus(status: number, statusText = ''): string {
  return `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
}

/** A whole error body (any JSON, or null when it was not JSON) as one line, falling back to the status. */
export function describeErrorBody(status: number, statusText: string, body: unknown): string {
  const detail = typeof body === 'object' && body !== null ? (body as { detail?: unknown }).detail : undefined;
  return describeErrorDetail(detail) ?? describeHttpStatus(status, statusText);
}
