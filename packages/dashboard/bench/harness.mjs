/**
 * What the page benchmarks share: the built store in its own process on a free port, a keep-alive JSON call to its
 * API, and Debian's Chromium. Build first: `npx tsc -b packages/server && npm run build -w @agl/dashboard`.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const CLI = fileURLToPath(new URL('../../server/dist/cli.js', import.meta.url));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The built store with an in-memory database; resolves once it prints its URL. */
export async function startStore() {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [CLI, '--memory', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`store exited with ${code}`)));
    child.stdout.on('data', (chunk) => /listening on/.test(String(chunk)) && resolve());
  });
  child.stdout.resume();
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
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
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
}
