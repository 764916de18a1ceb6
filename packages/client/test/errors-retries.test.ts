/** Error mapping, the retry policy and timeouts, against the real server. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LightningStoreClient, StoreError } from '../src/index.js';
import { countingFetch, fastClient, sleep, startServer, type RunningServer } from './server.js';

let server: RunningServer;

beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

/** Resolves with the StoreError a call rejects with (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

/** Answers `status` for the first `times` requests (as a failing proxy would), then forwards to the real server. */
function failingFetch(status: number, times: number) {
  const counter = countingFetch();
  let left = times;
  const wrapped: typeof fetch = async (input, init) => {
    const result = counter.fetch(input, init);
    if (left-- <= 0) return result;
    await result.then((r) => r.text()); // let the real server see it too; only the answer is replaced
    const body = JSON.stringify({ detail: 'Internal server error', error_type: 'InjectedError' });
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: wrapped, calls: counter.calls };
}

describe('error mapping', () => {
  it('a 404 carries the server detail, method and path, and is not retried', async () => {
    const counter = countingFetch();
    const client = fastClient(server.url, counter);
    const error = await failure(client.updateRollout('ro-000000000000', { status: 'cancelled' }));
    expect(error).toMatchObject({ kind: 'http', status: 404, detail: 'Rollout ro-000000000000 not found', tries: 1 });
    expect(error.method).toBe('POST');
    expect(error.path).toBe('/agl/v1/rollouts/ro-000000000000');
    expect(error.message).toContain('404 Rollout ro-000000000000 not found');
    expect(counter.calls).toEqual(['POST /agl/v1/rollouts/ro-000000000000']);
  });

  it('a 422 carries the issue list', async () => {
    const counter = countingFetch();
    const client = fastClient(server.url, counter);
    const error = await failure(client.enqueueRollout({ input: 1, config: { max_attempts: 0 } }));
    expect(error.status).toBe(422);
    expect(error.issues).toEqual([
      expect.objectContaining({ type: 'greater_than_equal', loc: ['body', 'config', 'max_attempts'] }),
    ]);
    expect(counter.calls).toHaveLength(1);
  });

  it('a 400 for an explicit null on a non-nullable field', async () => {
    const client = fastClient(server.url);
    const { rollout_id } = await client.enqueueRollout({ input: null });
    // The types forbid it; a JavaScript caller can still send it, and gets the server's 400.
    const error = await failure(client.updateRollout(rollout_id, { status: null } as never));
    expect(error).toMatchObject({ status: 400, detail: 'status is invalid; it cannot be a null value.' });
  });
});

describe('retries', () => {
  it('retries 5xx with backoff until the server answers', async () => {
    const flaky = failingFetch(503, 2);
    const client = fastClient(server.url, { fetch: flaky.fetch });
    expect(await client.health()).toEqual({ status: 'ok' });
    expect(flaky.calls).toEqual(Array(3).fill('GET /agl/v1/health'));
  });

  it('gives up after the configured retries with the last 5xx', async () => {
    const broken = failingFetch(500, 100);
    const client = fastClient(server.url, { fetch: broken.fetch, retries: 2 });
    const error = await failure(client.listRollouts());
    expect(error).toMatchObject({ status: 500, tries: 3, detail: 'Internal server error' });
    expect(error.body).toMatchObject({ error_type: 'InjectedError' });
    expect(broken.calls).toHaveLength(3);
  });

  it('retries a 408 (the server gave up waiting for the request) like a 5xx', async () => {
    const timedOut = failingFetch(408, 1);
    const client = fastClient(server.url, { fetch: timedOut.fetch });
    const rollout = await client.enqueueRollout({ input: 'after a 408' });
    expect(rollout.status).toBe('queuing');
    expect(timedOut.calls).toEqual(Array(2).fill('POST /agl/v1/queues/rollouts/enqueue'));
  });

  it("a caller's abort during the wait before a retry ends the call at once, without another try", async () => {
    const broken = failingFetch(503, 100);
    const client = fastClient(server.url, { fetch: broken.fetch, retryDelaysMs: [10_000] });
    const controller = new AbortController();
    const started = Date.now();
    const call = client.listRollouts({ signal: controller.signal });
    // Abort once the first try has failed, i.e. while the client sleeps before the second.
    while (broken.calls.length === 0) await sleep(5);
    await sleep(100);
    controller.abort(new Error('caller gave up'));
    const error = await failure(call);
    expect(error).toMatchObject({ kind: 'aborted', tries: 1, path: '/agl/v1/rollouts' });
    // The cause is the failure that led to the wait, so the caller still sees why it was retrying.
    expect(error.cause).toMatchObject({ kind: 'http', status: 503 });
    expect(Date.now() - started).toBeLessThan(2_000);
    await sleep(200);
    expect(broken.calls).toEqual(['GET /agl/v1/rollouts']);
  });

  it('never retries a dequeue: a transient failure reads as "nothing to do"', async () => {
    const client0 = fastClient(server.url);
    await client0.enqueueRollout({ input: null });
    const broken = failingFetch(503, 1);
    expect(await fastClient(server.url, { fetch: broken.fetch }).dequeueRollout()).toBeNull();
    expect(broken.calls).toEqual(['POST /agl/v1/queues/rollouts/dequeue']);
    // A wrong base URL is not transient: the 405 (a POST outside the API) is raised, not read as an idle queue.
    await expect(fastClient(`${server.url}/wrong`).dequeueRollout()).rejects.toMatchObject({
      kind: 'http',
      status: 405,
    });
  });

  it('survives a server restart: connection errors are retried until the new server answers', async () => {
    const counter = countingFetch();
    const client = fastClient(server.url, { ...counter, retryDelaysMs: [200, 400, 800] });
    expect(await client.health()).toEqual({ status: 'ok' }); // leaves a keep-alive connection in the pool
    const { port } = server;
    await server.close();
    const restarted = sleep(300).then(async () => (server = await startServer(port)));

    const rollout = await client.enqueueRollout({ input: 'after restart' });
    await restarted;
    expect(rollout.status).toBe('queuing');
    expect(counter.calls.filter((c) => c.endsWith('/enqueue')).length).toBeGreaterThan(1);
    expect((await client.listRollouts()).map((r) => r.rollout_id)).toEqual([rollout.rollout_id]);
  });

  it('reports a network error after the last retry when nothing listens', async () => {
    const { port } = server;
    await server.close();
    const client = fastClient(`http://127.0.0.1:${port}`, { retries: 1 });
    const error = await failure(client.health());
    expect(error).toMatchObject({ kind: 'network', status: null, tries: 2 });
    server = await startServer(); // for afterEach
  });
});

describe('timeouts', () => {
  it('aborts a request that takes longer than the timeout, retrying it first', async () => {
    const client = new LightningStoreClient({ baseUrl: server.url, timeoutMs: 200, retries: 1, retryDelaysMs: [10] });
    const { rollout_id } = await client.enqueueRollout({ input: null });
    const started = Date.now();
    // the server holds the wait open for 1.5 s; the per-request timeout (200 ms) fires first
    const error = await failure(client.waitForRollouts([rollout_id], 1.5, { timeoutMs: 200 }));
    expect(error).toMatchObject({ kind: 'timeout', status: null, tries: 2, path: '/agl/v1/waits/rollouts' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stretches the timeout to cover a wait longer than it', async () => {
    const client = new LightningStoreClient({ baseUrl: server.url, timeoutMs: 200, retries: 0 });
    const { rollout_id } = await client.enqueueRollout({ input: null });
    expect(await client.waitForRollouts([rollout_id], 0.5)).toEqual([]);
  });
});
