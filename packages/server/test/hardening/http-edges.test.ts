/**
 * Smaller HTTP edges: API-looking paths never get the dashboard's HTML, long ids read as unknown, malformed HTTP
 * and URLs answer `{"detail"}`, and the security headers (with a CSP on HTML only).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/http/security-headers.js';
import { call, engines, startServer, type TestServer } from '../helpers/http.js';
import { rawExchange } from './helpers.js';

/** A stand-in dashboard build: `index.html` plus one hashed asset. */
function fakeDashboard(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agl-dashboard-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>dashboard</title><div id="root"></div>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1);');
  return dir;
}

let dashboard: string;
let server: TestServer;
beforeAll(async () => {
  dashboard = fakeDashboard();
  server = await startServer('memory', { staticDir: dashboard });
});
afterAll(async () => {
  await server.close();
  rmSync(dashboard, { recursive: true, force: true });
});
const port = () => Number(new URL(server.url).port);

describe('API-looking paths', () => {
  it.each([
    '/%61gl/v1/x',
    '/AGL/v1/x',
    '/Agl/V1/x',
    '/%2561gl/v1/x',
    '/%41%47%4C/v1/rollouts/ro-1/nope',
    '/V1/x',
    '/%76%31/traces',
    '//agl/v1/x',
    '/AGL',
  ])('%s answers the JSON 404, never the dashboard', async (path) => {
    const res = await call(`${server.url}${path}`, 'GET');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({ detail: 'Not Found' });
  });

  it('an absolute-form request target is judged by its path', async () => {
    const reply = await rawExchange(port(), ['GET http://example.com/AGL/v1/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'], {
      timeoutMs: 500,
    });
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body)).toEqual({ detail: 'Not Found' });
  });

  it('a missing Swagger UI file is a JSON 404, not the dashboard', async () => {
    const res = await call(`${server.url}/docs/static/nope.js`, 'GET');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'Not Found' });
  });

  it('dashboard paths still get index.html', async () => {
    for (const path of ['/', '/rollouts', '/aglx/v1', '/traces/agl/v1']) {
      const res = await call(`${server.url}${path}`, 'GET');
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/);
    }
  });
});

describe.each(engines)('long ids (%s)', (engine) => {
  let own: TestServer;
  beforeAll(async () => {
    own = await startServer(engine);
  });
  afterAll(async () => {
    await own.close();
  });

  it.each([3_000, 12_000])('GET /rollouts/<%i chars> reads as an unknown id', async (length) => {
    const id = `ro-${'a'.repeat(length)}`;
    const rollout = await own.api('GET', `/rollouts/${id}`);
    expect(rollout.status).toBe(200);
    expect(rollout.text).toBe('null');
    const attempts = await own.api('GET', `/rollouts/${id}/attempts`);
    expect(attempts.status).toBe(200);
    expect(attempts.body).toEqual([]);
  });
});

describe('malformed HTTP answers {"detail"} and closes', () => {
  it.each([
    ['a garbage request line', 'GARBAGE\r\n\r\n', 400, 'Bad Request'],
    [
      'an invalid Content-Length',
      'POST /agl/v1/health HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n',
      400,
      'Bad Request',
    ],
    [
      'headers over 16 KiB',
      `GET /agl/v1/health HTTP/1.1\r\nHost: a\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
      431,
      'Request Header Fields Too Large',
    ],
  ])('%s', async (_name, text, status, detail) => {
    const reply = await rawExchange(port(), [text]);
    expect(reply.status).toBe(status);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.headers['connection']).toBe('close');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(JSON.parse(reply.body)).toEqual({ detail });
    expect(reply.closed).toBe(true);
  });

  it('a URL with a broken percent-escape answers 400 with a detail', async () => {
    for (const path of ['/%', '/agl/v1/rollouts/%zz']) {
      const res = await call(`${server.url}${path}`, 'GET');
      expect(res.status, path).toBe(400);
      expect(res.body, path).toEqual({ detail: 'Malformed URL' });
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });
});

describe('security headers', () => {
  const BASE = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' };

  it.each([
    ['the dashboard', '/', true],
    ['a dashboard deep link', '/traces', true],
    ['Swagger UI', '/docs', true],
    ['an API answer', '/agl/v1/health', false],
    ['an API 404', '/agl/v1/nope', false],
    ['an asset', '/assets/index-abc123.js', false],
    ['a missing asset', '/assets/nope.js', false],
    ['the OpenAPI document', '/openapi.json', false],
  ])('%s (%s)', async (_name, path, html) => {
    const res = await fetch(`${server.url}${path}`);
    await res.arrayBuffer();
    for (const [name, value] of Object.entries(BASE)) expect(res.headers.get(name), name).toBe(value);
    expect(res.headers.get('content-security-policy')).toBe(html ? CONTENT_SECURITY_POLICY : null);
  });

  it('the CSP allows no inline script and no framing', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d]));
    expect(directives.get('script-src')).toBe("script-src 'self'");
    expect(directives.get('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directives.get('object-src')).toBe("object-src 'none'");
  });
});
