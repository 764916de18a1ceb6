/**
 * Remembers Settings (server config, API key included, and theme) across reloads in localStorage. Loading never
 * throws: missing, corrupt or partially invalid storage falls back to defaults field by field.
 */
import { checkBaseUrl } from '../lib/baseUrl';
import { isAutoRefreshMs, type ServerConfigState } from './slices/serverConfig';
import { isThemeMode, type ThemeState } from './slices/theme';
import type { AppStore, PreloadedState, RootState } from './store';

export const SETTINGS_STORAGE_KEY = 'agl-dashboard.settings.v1';

interface PersistedSettings {
  serverConfig: ServerConfigState;
  theme: ThemeState;
}

function storageOrNull(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null; // e.g. storage disabled by browser policy
  }
}

export function loadSettings(storage: Storage | null = storageOrNull()): PreloadedState {
  let raw: unknown;
  try {
    const text = storage?.getItem(SETTINGS_STORAGE_KEY);
    if (!text) return {};
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const saved = raw as { serverConfig?: Partial<Record<keyof ServerConfigState, unknown>>; theme?: { mode?: unknown } };

  const result: PreloadedState = {};
  const baseUrl = typeof saved.serverConfig?.baseUrl === 'string' ? checkBaseUrl(saved.serverConfig.baseUrl) : null;
  const autoRefreshMs = saved.serverConfig?.autoRefreshMs;
  const apiKey = saved.serverConfig?.apiKey;
  const serverConfig: Partial<ServerConfigState> = {
    ...(baseUrl?.ok && { baseUrl: baseUrl.value }),
    ...(isAutoRefreshMs(autoRefreshMs) && { autoRefreshMs }),
    ...(typeof apiKey === 'string' && apiKey.trim() !== '' && { apiKey: apiKey.trim() }),
  };
  if (Object.keys(serverConfig).length > 0) result.serverConfig = serverConfig;
  if (isThemeMode(saved.theme?.mode)) result.ui = { theme: { mode: saved.theme.mode } };
  return result;
}

function pickSettings(state: RootState): PersistedSettings {
  return { serverConfig: state.serverConfig, theme: state.ui.theme };
}

function saveSettings(settings: PersistedSettings, storage: Storage | null = storageOrNull()): void {
  try {
    storage?.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // Quota or privacy mode: the settings still apply for this session.
  }
}

/** Writes the settings whenever they change (by reference, so unrelated actions cost one comparison). */
export function persistSettings(store: AppStore, storage: Storage | null = storageOrNull()): () => void {
  let last = pickSettings(store.getState());
  return store.subscribe(() => {
    const next = pickSettings(store.getState());
    if (next.serverConfig === last.serverConfig && next.theme === last.theme) return;
    last = next;
    saveSettings(next, storage);
  });
}
