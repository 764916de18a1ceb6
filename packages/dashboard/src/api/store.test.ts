import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeStore } from '../app/store';
import { setBaseUrl } from '../app/slices/serverConfig';
import { healthApi } from './health';
import { rolloutsApi } from './rollouts';
import { selectIsRefreshing } from './selectors';

afterEach(() => vi.unstubAllGlobals());

/** A fetch whose answers the test releases by hand. */
function deferredFetch() {
  const pending: ((response: Response) => void)[] = [];
  const urls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string) => {
      urls.push(url);
      return new Promise<Response>((resolve) => pending.push(resolve));
    }),
  );
  const answer = (body: unknown) => pending.shift()?.(new Response(JSON.stringify(body), { status: 200 }));
  return { urls, answer };
}

describe('API wiring in the store', () => {
  it('counts data requests, not health probes, as refreshing', async () => {
    const { answer } = deferredFetch();
    const store = makeStore({ serverConfig: { baseUrl: 'http://store.test', autoRefreshMs: 0 } });
    const health = store.dispatch(healthApi.endpoints.getHealth.initiate());
    expect(selectIsRefreshing(store.getState())).toBe(false);
    const rollouts = store.dispatch(rolloutsApi.endpoints.getRollouts.initiate());
    expect(selectIsRefreshing(store.getState())).toBe(true);
    answer({ status: 'ok' });
    answer([]);
    await Promise.all([health, rollouts]);
    expect(selectIsRefreshing(store.getState())).toBe(false);
    health.unsubscribe();
    rollouts.unsubscribe();
  });

  it('drops cached data when the backend address changes', async () => {
    const { answer, urls } = deferredFetch();
    const store = makeStore({ serverConfig: { baseUrl: 'http://first.test', autoRefreshMs: 0 } });
    const first = store.dispatch(rolloutsApi.endpoints.getRollouts.initiate());
    answer([]);
    await first;
    expect(rolloutsApi.endpoints.getRollouts.select()(store.getState()).data).toEqual([]);

    store.dispatch(setBaseUrl('http://first.test/')); // same address once normalised: cache kept
    expect(rolloutsApi.endpoints.getRollouts.select()(store.getState()).data).toEqual([]);

    store.dispatch(setBaseUrl('http://second.test'));
    expect(rolloutsApi.endpoints.getRollouts.select()(store.getState()).data).toBeUndefined();
    const second = store.dispatch(rolloutsApi.endpoints.getRollouts.initiate());
    answer([]);
    await second;
    expect(urls).toEqual(['http://first.test/agl/v1/rollouts', 'http://second.test/agl/v1/rollouts']);
    first.unsubscribe();
    second.unsubscribe();
  });
});
