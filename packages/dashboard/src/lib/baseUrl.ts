/**
 * The backend address the dashboard talks to. It is an origin plus an optional path prefix (a store behind a reverse
 * proxy); the API prefix `/agl/v1` is appended by the API layer, never typed by the user.
 */

export type BaseUrlCheck = { ok: true; value: string } | { ok: false; error: string };

/** Validates and normalises what the user typed: http(s) only, no query or fragment, no trailing slash. */
export function checkBaseUrl(input: string): BaseUrlCheck {
  const text = input.trim();
  if (text === '') return { ok: false, error: 'Enter the store address, e.g. http://127.0.0.1:4747' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: 'Not a valid URL. Use the form http://host:port' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: 'The address must start with http:// or https://' };
  }
  if (url.search || url.hash) return { ok: false, error: 'Leave out the query string and #fragment' };
  if (url.username || url.password) return { ok: false, error: 'Credentials in the address are not supported' };
  const path = url.pathname.replace(/\/+$/, '');
  return { ok: true, value: `${url.origin}${path}` };
}

/** Where the built dashboard is served from: the store itself (docs/protocol.md §1.3). */
export function defaultBaseUrl(): string {
  return typeof window === 'undefined' ? 'http://127.0.0.1:4747' : window.location.origin;
}
