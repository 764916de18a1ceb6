/**
 * Who may reach the store (docs/security.md): JSON-only bodies (415), cross-origin writes refused unless allowed
 * (403), loopback-only Host names on a loopback bind (403, DNS rebinding), and the optional API key (401). The
 * reference Python client's requests — JSON with a Content-Type, no Origin, a loopback Host, the key in the URL as
 * Basic credentials — must keep working.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engines, startServer, type TestServer } from '../helpers/http.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A raw request with exactly the headers given (fetch adds none we care about besides Host). */
async function raw(method: string, path: string, headers: Record<string, string>, body?: string) {
  const res = await fetch(`${server!.url}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

async function queueLength(): Promise<number> {
  const res = await server!.api('POST', '/rollouts/search', { status: ['queuing'] });
  return res.body.length;
}

describe.each(engines)('JSON-only bodies (%s)', (engine) => {
  it('a cross-site "simple" request (form or text/plain) is refused with 415 and changes nothing', async () => {
    server = await startServer(engine);
    await server.api('POST', '/queues/rollouts/enqueue', { input: 'victim' });
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const drained = await raw('POST', '/agl/v1/queues/rollouts/dequeue', { 'content-type': type }, '');
      expect(drained.status).toBe(415);
      expect(drained.body.detail).toMatch(/Content-Type: application\/json/);
      const latest = { status: 'succeeded' };
      const update = await raw('POST', '/agl/v1/resources/latest', { 'content-type': type }, JSON.stringify(latest));
      expect(update.status).toBe(415);
    }
    expect(await queueLength()).toBe(1);
    expect((await server.api('GET', '/resources')).body).toEqual([]);
  });

  it('a JSON body without a Content-Type is refused; a POST with no body and no type is fine', async () => {
    server = await startServer(engine);
    // fetch would add `text/plain` to a string body, so this one goes out through node:http as written.
    const res = await nodeRequest(server.url, 'POST', '/agl/v1/queues/rollouts/enqueue', {}, '{"input":1}');
    expect(res.status).toBe(415);
    expect(res.body.detail).toContain('no Content-Type');
    expect(await queueLength()).toBe(0);
    await server.api('POST', '/queues/rollouts/enqueue', { input: 1 });
    // The reference client's dequeue and start-attempt send no body and no Content-Type.
    const claimed = await raw('POST', '/agl/v1/queues/rollouts/dequeue', {});
    expect(claimed.status).toBe(200);
    expect(claimed.body.status).toBe('preparing');
    const retried = await raw('POST', `/agl/v1/rollouts/${claimed.body.rollout_id}/attempts`, {});
    expect(retried.status).toBe(201);
  });

  it('application/json with a charset and +json types are accepted', async () => {
    server = await startServer(engine);
    const body = JSON.stringify({ input: 1 });
    for (const type of ['application/json; charset=utf-8', 'application/vnd.agl+json', 'Application/JSON']) {
      expect((await raw('POST', '/agl/v1/queues/rollouts/enqueue', { 'content-type': type }, body)).status).toBe(201);
    }
  });
});

describe.each(engines)('cross-origin writes (%s)', (engine) => {
  it('a write from another origin is refused with 403 naming --cors-origin; reads are not', async () => {
    server = await startServer(engine);
    const headers = { 'content-type': 'application/json', origin: 'http://evil.example' };
    const res = await raw('POST', '/agl/v1/queues/rollouts/enqueue', headers, JSON.stringify({ input: 1 }));
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('--cors-origin http://evil.example');
    expect(await queueLength()).toBe(0);
    expect((await raw('GET', '/agl/v1/rollouts', { origin: 'http://evil.example' })).status).toBe(200);
    const sandboxed = await raw('POST', '/agl/v1/queues/rollouts/dequeue', { origin: 'null' });
    expect(sandboxed.status).toBe(403);
  });

  it('the store’s own origin and --cors-origin origins may write', async () => {
    server = await startServer(engine, { corsOrigins: ['http://localhost:3000'] });
    const own = new URL(server.url).origin;
    for (const origin of [own, 'http://localhost:3000']) {
      const headers = { 'content-type': 'application/json', origin };
      expect((await raw('POST', '/agl/v1/queues/rollouts/enqueue', headers, '{"input":1}')).status).toBe(201);
    }
  });
});

describe.each(engines)('Host check on a loopback bind (%s)', (engine) => {
  it('refuses a rebound domain name with 403 and accepts loopback names', async () => {
    server = await startServer(engine, { bindHost: '127.0.0.1' });
    const port = new URL(server.url).port;
    const rebound = await rawWithHost(server.url, `attacker.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(rebound.body.detail).toContain('--allowed-host');
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'app.localhost']) {
      expect((await rawWithHost(server.url, host)).status).toBe(200);
    }
  });

  it('checks Host before answering a CORS preflight', async () => {
    server = await startServer(engine, { bindHost: '127.0.0.1', corsOrigins: ['http://localhost:3000'] });
    const port = new URL(server.url).port;
    const preflight = (host: string) =>
      nodeRequest(server!.url, 'OPTIONS', '/agl/v1/rollouts', {
        host,
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
      });
    expect((await preflight(`attacker.example:${port}`)).status).toBe(403);
    expect((await preflight(`127.0.0.1:${port}`)).status).toBe(200);
  });

  it('--allowed-host names are accepted in addition to loopback', async () => {
    server = await startServer(engine, { bindHost: '127.0.0.1', allowedHosts: ['store.internal'] });
    expect((await rawWithHost(server.url, 'store.internal')).status).toBe(200);
    expect((await rawWithHost(server.url, 'store.internal:8443')).status).toBe(200);
    expect((await rawWithHost(server.url, 'other.internal')).status).toBe(403);
  });

  it('a non-loopback bind does not check Host unless names are given', async () => {
    server = await startServer(engine, { bindHost: '0.0.0.0' });
    expect((await rawWithHost(server.url, 'anything.example')).status).toBe(200);
  });
});

function rawWithHost(url: string, host: string) {
  return nodeRequest(url, 'GET', '/agl/v1/rollouts', { host });
}

/** A request through node:http with exactly these headers (fetch cannot set Host, and adds a type to bodies). */
async function nodeRequest(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: { detail?: string } }> {
  const { request } = await import('node:http');
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parseOrText(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(engines)('API key (%s)', (engine) => {
  const key = 's3cret-key';

  it('every API request without the key answers 401; health stays open', async () => {
    server = await startServer(engine, { apiKey: key });
    const res = await raw('GET', '/agl/v1/rollouts', {});
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ detail: 'Invalid or missing API key' });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const enqueue = await raw('POST', '/agl/v1/queues/rollouts/enqueue', { 'content-type': 'application/json' }, '{}');
    expect(enqueue.status).toBe(401); // the key is checked before the body
    expect((await raw('GET', '/agl/v1/health', {})).status).toBe(200);
    for (const wrong of ['Bearer nope', 'Bearer ', `Basic ${b64('agl:nope')}`, 'Token s3cret-key', key]) {
      expect((await raw('GET', '/agl/v1/rollouts', { authorization: wrong })).status).toBe(401);
    }
    expect((await raw('GET', '/agl/v1/rollouts', { 'x-api-key': 'nope' })).status).toBe(401);
  });

  it('accepts the key as Bearer, x-api-key, or the Basic password (what aiohttp sends for http://agl:key@host)', async () => {
    server = await startServer(engine, { apiKey: key });
    const ways: Record<string, string>[] = [
      { authorization: `Bearer ${key}` },
      { 'x-api-key': key },
      { authorization: `Basic ${b64(`agl:${key}`)}` },
    ];
    for (const headers of ways) {
      const res = await raw(
        'POST',
        '/agl/v1/queues/rollouts/enqueue',
        { ...headers, 'content-type': 'application/json' },
        '{"input":1}',
      );
      expect(res.status).toBe(201);
    }
    expect(await queueLengthWith({ authorization: `Bearer ${key}` })).toBe(3);
  });

  it('follows the route the router matched, however the URL spells it (no bypass through percent-encoding)', async () => {
    server = await startServer(engine, { apiKey: key });
    await server.api('POST', '/queues/rollouts/enqueue', { input: 1 }, { authorization: `Bearer ${key}` });
    for (const path of ['/%61gl/v1/rollouts', '/agl/%76%31/rollouts', '/agl/v1/%72ollouts', '/AGL/v1/rollouts']) {
      const res = await raw('GET', path, {});
      expect(res.status, path).not.toBe(200);
      expect([401, 404], path).toContain(res.status);
    }
    const withKey = await raw('GET', '/%61gl/v1/rollouts', { authorization: `Bearer ${key}` });
    expect(withKey.status).toBe(200);
    expect(withKey.body).toHaveLength(1);
  });

  it('does not lock out the dashboard page or the API docs', async () => {
    server = await startServer(engine, { apiKey: key });
    expect((await raw('GET', '/openapi.json', {})).status).toBe(200);
  });
});

async function queueLengthWith(headers: Record<string, string>): Promise<number> {
  const res = await raw(
    'POST',
    '/agl/v1/rollouts/search',
    { ...headers, 'content-type': 'application/json' },
    '{"status":["queuing"]}',
  );
  return res.body.length;
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function parseOrText(text: string): { detail?: string } {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return { detail: text }; // a preflight answers plain text
  }
}
