/**
 * Conformance H1–H11 (docs/behaviours.md, section H): CORS, the dashboard on the same port, JSON 404s, ETags and
 * compression. Requests go through node:http rather than fetch, because fetch adds its own Accept-Encoding and
 * decompresses transparently, and these tests must control and see the raw headers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startServer, type TestServer } from '../helpers/http.js';
import { spanBody } from './fixtures.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

function raw(url: string, method = 'GET', headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, text: buf.toString('utf8') });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

const corsHeaders = (res: RawResponse) => Object.keys(res.headers).filter((h) => h.startsWith('access-control-'));
const header = (res: RawResponse, name: string) => String(res.headers[name] ?? '');
const INDEX_HTML =
  '<!doctype html><html><body><div id="root"></div><script src="/assets/app-abc.js"></script></body></html>';
const APP_JS = 'console.log("dashboard");';

describe.each(engines)('http conformance (%s)', (engine) => {
  const servers: TestServer[] = [];
  let dashboardDir: string;
  beforeAll(() => {
    dashboardDir = mkdtempSync(join(tmpdir(), 'agl-dashboard-'));
    mkdirSync(join(dashboardDir, 'assets'));
    writeFileSync(join(dashboardDir, 'index.html'), INDEX_HTML);
    writeFileSync(join(dashboardDir, 'assets', 'app-abc.js'), APP_JS);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dashboardDir, { recursive: true, force: true });
  });
  async function serve(options: Parameters<typeof startServer>[1] = {}): Promise<TestServer> {
    const server = await startServer(engine, options);
    servers.push(server);
    return server;
  }

  it('H1 without CORS origins, responses carry no Access-Control-* headers', async () => {
    const { url } = await serve();
    const get = await raw(`${url}/agl/v1/health`, 'GET', { origin: 'http://localhost:3000' });
    expect(get.status).toBe(200);
    expect(corsHeaders(get)).toEqual([]);
    const pre = await raw(`${url}/agl/v1/rollouts`, 'OPTIONS', {
      origin: 'http://localhost:3000',
      'access-control-request-method': 'GET',
    });
    expect(corsHeaders(pre)).toEqual([]);
  });

  it('H2 an allowed Origin is echoed with credentials allowed', async () => {
    const { url } = await serve({ corsOrigins: ['http://localhost:3000'] });
    const res = await raw(`${url}/agl/v1/rollouts`, 'GET', { origin: 'http://localhost:3000' });
    expect(res.status).toBe(200);
    expect(header(res, 'access-control-allow-origin')).toBe('http://localhost:3000');
    expect(header(res, 'access-control-allow-credentials')).toBe('true');
    expect(header(res, 'vary').toLowerCase()).toContain('origin');
  });

  it('H3 an Origin not on the list gets a normal 200 without CORS headers; its preflight is refused', async () => {
    const { url } = await serve({ corsOrigins: ['http://localhost:3000'] });
    const res = await raw(`${url}/agl/v1/health`, 'GET', { origin: 'http://evil.example' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ status: 'ok' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await raw(`${url}/agl/v1/health`, 'OPTIONS', {
      origin: 'http://evil.example',
      'access-control-request-method': 'GET',
    });
    expect(pre.status).toBe(400);
    expect(pre.text).toBe('Disallowed CORS origin');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('H4 a preflight from an allowed origin answers 200 OK with methods and the requested headers', async () => {
    const { url } = await serve({ corsOrigins: ['http://localhost:3000'] });
    const res = await raw(`${url}/agl/v1/rollouts/search`, 'OPTIONS', {
      origin: 'http://localhost:3000',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-custom-header',
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('OK');
    expect(header(res, 'access-control-allow-origin')).toBe('http://localhost:3000');
    expect(header(res, 'access-control-allow-credentials')).toBe('true');
    const methods = header(res, 'access-control-allow-methods').split(/,\s*/);
    expect(methods).toEqual(expect.arrayContaining(['GET', 'POST']));
    const allowed = header(res, 'access-control-allow-headers').toLowerCase();
    expect(allowed).toContain('content-type');
    expect(allowed).toContain('x-custom-header');
    expect(header(res, 'access-control-max-age')).toBe('600');
  });

  it('H5 with * configured, any Origin is echoed back (never *)', async () => {
    const { url } = await serve({ corsOrigins: ['*'] });
    for (const origin of ['http://a.example:8080', 'https://b.example']) {
      const res = await raw(`${url}/agl/v1/health`, 'GET', { origin });
      expect(header(res, 'access-control-allow-origin')).toBe(origin);
      expect(header(res, 'access-control-allow-credentials')).toBe('true');
    }
  });

  it('H6 GET / and a deep link both serve the dashboard index.html', async () => {
    const { url } = await serve({ staticDir: dashboardDir });
    for (const path of ['/', '/rollouts/xyz', '/traces/abc/def']) {
      const res = await raw(`${url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.text).toBe(INDEX_HTML);
      expect(header(res, 'content-type')).toMatch(/^text\/html/);
    }
    expect(header(await raw(`${url}/`), 'cache-control')).toBe('no-cache');
  });

  it('H7 existing assets are immutable-cached; a missing asset answers JSON 404', async () => {
    const { url } = await serve({ staticDir: dashboardDir });
    const res = await raw(`${url}/assets/app-abc.js`);
    expect(res.status).toBe(200);
    expect(res.text).toBe(APP_JS);
    expect(header(res, 'cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await raw(`${url}/assets/app-missing.js`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toEqual({ detail: 'Not Found' });
  });

  it('H8 unknown API paths answer JSON 404, never the dashboard HTML', async () => {
    const { url } = await serve({ staticDir: dashboardDir });
    for (const path of ['/agl/v1/unknown', '/v1/agl/unknown', '/agl/v1/rollouts/', '/agl', '/v1']) {
      const res = await raw(`${url}${path}`);
      expect(res.status, path).toBe(404);
      expect(header(res, 'content-type'), path).toMatch(/^application\/json/);
      expect(JSON.parse(res.text)).toEqual({ detail: 'Not Found' });
    }
  });

  it('H9 without a dashboard build the API keeps working and GET / answers 404', async () => {
    for (const staticDir of [null, join(dashboardDir, 'does-not-exist')]) {
      const { url } = await serve({ staticDir });
      expect((await raw(`${url}/agl/v1/health`)).status).toBe(200);
      const root = await raw(`${url}/`);
      expect(root.status).toBe(404);
      expect(JSON.parse(root.text)).toEqual({ detail: 'Not Found' });
    }
  });

  it('H10 GET list endpoints send an ETag, answer 304 to If-None-Match, and change after a write', async () => {
    const server = await serve();
    const started = await server.api('POST', '/rollouts', { input: 1 });
    const rid = started.body.rollout_id as string;
    const aid = started.body.attempt.attempt_id as string;
    const lists: Array<[string, () => Promise<unknown>]> = [
      ['/rollouts', () => server.api('POST', '/queues/rollouts/enqueue', { input: 2 })],
      [`/rollouts/${rid}/attempts`, () => server.api('POST', `/rollouts/${rid}/attempts`)],
      ['/resources', () => server.api('POST', '/resources', {})],
      [`/spans?rollout_id=${rid}`, () => server.api('POST', '/spans', spanBody(rid, aid, 1))],
    ];
    for (const [path, change] of lists) {
      const first = await raw(`${server.url}/agl/v1${path}`);
      expect(first.status, path).toBe(200);
      const etag = header(first, 'etag');
      expect(etag, path).not.toBe('');
      const cached = await raw(`${server.url}/agl/v1${path}`, 'GET', { 'if-none-match': etag });
      expect(cached.status, path).toBe(304);
      expect(cached.body.length).toBe(0);
      expect(header(cached, 'etag')).toBe(etag);
      await change();
      const changed = await raw(`${server.url}/agl/v1${path}`, 'GET', { 'if-none-match': etag });
      expect(changed.status, path).toBe(200);
      expect(header(changed, 'etag')).not.toBe(etag);
      expect(JSON.parse(changed.text)).not.toEqual(JSON.parse(first.text));
    }
  });

  it('H11 large lists are gzip or brotli compressed on request, and plain otherwise', async () => {
    const server = await serve();
    for (let i = 0; i < 30; i++) await server.api('POST', '/queues/rollouts/enqueue', { input: 'x'.repeat(200) });
    const plain = await raw(`${server.url}/agl/v1/rollouts`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const list = JSON.parse(plain.text);
    expect(list).toHaveLength(30);

    const gz = await raw(`${server.url}/agl/v1/rollouts`, 'GET', { 'accept-encoding': 'gzip' });
    expect(header(gz, 'content-encoding')).toBe('gzip');
    expect(header(gz, 'vary').toLowerCase()).toContain('accept-encoding');
    expect(JSON.parse(gunzipSync(gz.body).toString('utf8'))).toEqual(list);

    const br = await raw(`${server.url}/agl/v1/rollouts`, 'GET', { 'accept-encoding': 'gzip, deflate, br' });
    expect(header(br, 'content-encoding')).toBe('br');
    expect(header(br, 'vary').toLowerCase()).toContain('accept-encoding');
    expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8'))).toEqual(list);
  });
});
