import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { checkBaseUrl, defaultBaseUrl } from '../../lib/baseUrl';

/** The auto-refresh choices offered in Settings, in milliseconds; 0 means off. */
export const AUTO_REFRESH_CHOICES_MS = [0, 5_000, 15_000, 60_000, 300_000] as const;
export type AutoRefreshMs = (typeof AUTO_REFRESH_CHOICES_MS)[number];

export function isAutoRefreshMs(value: unknown): value is AutoRefreshMs {
  return AUTO_REFRESH_CHOICES_MS.includes(value as AutoRefreshMs);
}

export interface ServerConfigState {
  /** Origin (plus optional path prefix) of the store, without `/agl/v1` and without a trailing slash. */
  baseUrl: string;
  autoRefreshMs: AutoRefreshMs;
}

export const initialServerConfig = (): ServerConfigState => ({ baseUrl: defaultBaseUrl(), autoRefreshMs: 0 });

export const serverConfigSlice = createSlice({
  name: 'serverConfig',
  initialState: initialServerConfig,
  reducers: {
    /** Only valid addresses are applied; the Settings field keeps showing the invalid text with its error. */
    setBaseUrl(state, action: PayloadAction<string>) {
      const check = checkBaseUrl(action.payload);
      if (check.ok) state.baseUrl = check.value;
    },
    setAutoRefreshMs(state, action: PayloadAction<AutoRefreshMs>) {
      if (isAutoRefreshMs(action.payload)) state.autoRefreshMs = action.payload;
    },
  },
  selectors: {
    selectBaseUrl: (state) => state.baseUrl,
    selectAutoRefreshMs: (state) => state.autoRefreshMs,
  },
});

export const { setBaseUrl, setAutoRefreshMs } = serverConfigSlice.actions;
export const { selectBaseUrl, selectAutoRefreshMs } = serverConfigSlice.selectors;
