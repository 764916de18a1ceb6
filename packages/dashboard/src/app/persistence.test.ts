import { describe, expect, it } from 'vitest';
import { loadSettings, persistSettings, SETTINGS_STORAGE_KEY } from './persistence';
import { setApiKey, setAutoRefreshMs, setBaseUrl } from './slices/serverConfig';
import { setThemeMode } from './slices/theme';
import { openDrawer } from './slices/drawers';
import { makeStore } from './store';

function memoryStorage(initial: Record<string, string> = {}): Storage & { writes: number } {
  const data = new Map(Object.entries(initial));
  return {
    writes: 0,
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (key) => data.get(key) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (key) => void data.delete(key),
    setItem(key, value) {
      this.writes++;
      data.set(key, value);
    },
  };
}

describe('settings persistence', () => {
  it('loads nothing from empty, corrupt or non-object storage', () => {
    expect(loadSettings(memoryStorage())).toEqual({});
    expect(loadSettings(memoryStorage({ [SETTINGS_STORAGE_KEY]: '{not json' }))).toEqual({});
    expect(loadSettings(memoryStorage({ [SETTINGS_STORAGE_KEY]: '42' }))).toEqual({});
    expect(loadSettings(null)).toEqual({});
  });

  it('survives a storage that throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
    } as unknown as Storage;
    expect(loadSettings(throwing)).toEqual({});
  });

  it('keeps the valid fields and defaults the invalid ones', () => {
    const saved = {
      serverConfig: { baseUrl: 'javascript:alert(1)', autoRefreshMs: 60_000, apiKey: 42 },
      theme: { mode: 'neon' },
    };
    const loaded = loadSettings(memoryStorage({ [SETTINGS_STORAGE_KEY]: JSON.stringify(saved) }));
    expect(loaded).toEqual({ serverConfig: { autoRefreshMs: 60_000 } });
    expect(makeStore(loaded).getState().serverConfig).toEqual({
      baseUrl: window.location.origin,
      autoRefreshMs: 60_000,
      apiKey: '',
    });
  });

  it('round-trips the settings through a store, writing only when they change', () => {
    const storage = memoryStorage();
    const store = makeStore();
    persistSettings(store, storage);
    store.dispatch(setBaseUrl('http://10.0.0.5:4747/'));
    store.dispatch(setAutoRefreshMs(5_000));
    store.dispatch(setThemeMode('dark'));
    store.dispatch(setApiKey('k-123'));
    const writes = storage.writes;
    store.dispatch(openDrawer({ type: 'rawJson', subject: { kind: 'rollout', rolloutId: 'ro-1' } }));
    expect(storage.writes).toBe(writes);

    const restored = makeStore(loadSettings(storage)).getState();
    expect(restored.serverConfig).toEqual({ baseUrl: 'http://10.0.0.5:4747', autoRefreshMs: 5_000, apiKey: 'k-123' });
    expect(restored.ui.theme.mode).toBe('dark');
    expect(restored.ui.drawers.content).toBeNull();
  });
});
