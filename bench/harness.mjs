/**
 * What the benchmarks share: the built store in its own process (the repository's one launcher), a keep-alive JSON
 * call to its API, and Chromium launched the one way every Playwright user here launches it. Build first
 * (`npm run bench` does).
 */
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from '../scripts/lib/chromium.mjs';
import { startStore as launch } from '../scripts/lib/store-process.mjs';

/**
 * The built store on a free loopback port (in memory unless `db` names a file), quiet (`--log-level warn`), its
 * warnings copied to this process's stderr; `stop()` ends it with SIGTERM.
 */
export function startStore({ db, args = [] } = {}) {
  return launch({ db, args: ['--log-level', 'warn', ...args], echo: true });
}

/** One `/agl/v1` call; `fetch` keeps connections alive by default (undici), so concurrent workers reuse sockets. */
export async function call(url, method, path, body) {
  const response = await fetch(`${url}/agl/v1${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

export function launchChromium() {
  return chromium.launch(chromiumLaunchOptions());
}
