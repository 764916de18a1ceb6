import { afterEach, describe, expect, it, vi } from 'vitest';
import { devTools, makeStore } from './store';
import { apiKeyPromptDismissed, apiKeySubmitted } from './slices/apiKeyPrompt';
import { setApiKey, setBaseUrl } from './slices/serverConfig';
import { healthApi } from '../api/health';
import { rolloutsApi } from '../api/rollouts';
import { selectIsRefreshing } from '../api/selectors';

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
  const answer = (body: unknown, status = 200) => pending.shift()?.(new Response(JSON.stringify(body), { status }));
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

  it('asks for a key on a 401, retries the failed queries with it, and asks again when it is refused', async () => {
    const { answer } = deferredFetch();
    const refused = { detail: 'Invalid or missing API key' };
    const store = makeStore({ serverConfig: { baseUrl: 'http://store.test', autoRefreshMs: 0 } });
    const prompt = () => store.getState().ui.apiKeyPrompt;
    const rollouts = store.dispatch(rolloutsApi.endpoints.getRollouts.initiate());
    answer(refused, 401);
    await rollouts;
    expect(prompt()).toEqual({ status: 'open', refused: false });

    store.dispatch(apiKeySubmitted('wrong'));
    expect(prompt().status).toBe('idle');
    await vi.waitFor(() => expect(rolloutsApi.endpoints.getRollouts.select()(store.getState()).isLoading).toBe(true));
    answer(refused, 401);
    await vi.waitFor(() => expect(prompt()).toEqual({ status: 'open', refused: true }));

    store.dispatch(apiKeySubmitted('right'));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(3));
    expect(vi.mocked(fetch).mock.calls[2]?.[1]?.headers).toMatchObject({ Authorization: 'Bearer right' });
    answer([]);
    await vi.waitFor(() => expect(rolloutsApi.endpoints.getRollouts.select()(store.getState()).data).toEqual([]));
    expect(prompt().status).toBe('idle');
    rollouts.unsubscribe();
  });

  it('stays quiet after Cancel until the key changes', async () => {
    const { answer } = deferredFetch();
    const store = makeStore({ serverConfig: { baseUrl: 'http://store.test', autoRefreshMs: 0 } });
    store.dispatch(apiKeyPromptDismissed());
    const rollouts = store.dispatch(rolloutsApi.endpoints.getRollouts.initiate());
    answer({ detail: 'Invalid or missing API key' }, 401);
    await rollouts;
    expect(store.getState().ui.apiKeyPrompt.status).toBe('dismissed');
    store.dispatch(setApiKey('new'));
    expect(store.getState().ui.apiKeyPrompt.status).toBe('idle');
    rollouts.unsubscribe();
  });

  it('never shows the API key to Redux DevTools', () => {
    const store = makeStore({ serverConfig: { apiKey: 'k-secret' } });
    expect(JSON.stringify(devTools.stateSanitizer(store.getState()))).not.toContain('k-secret');
    expect(devTools.stateSanitizer(store.getState()).serverConfig.baseUrl).toBe(window.location.origin);
    expect(JSON.stringify(devTools.actionSanitizer(setApiKey('k-secret')))).not.toContain('k-secret');
    expect(JSON.stringify(devTools.actionSanitizer(apiKeySubmitted('k-secret')))).not.toContain('k-secret');
  });
});
