import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { checkBaseUrl, defaultBaseUrl } from '../../lib/baseUrl';
import { apiKeySubmitted } from './apiKeyPrompt';

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
  /**
   * Sent as `Authorization: Bearer <key>` on every request when not empty (a store started with `--api-key`). One key
   * for whichever address is set; kept in this browser's storage only.
   */
  apiKey: string;
}

export const initialServerConfig = (): ServerConfigState => ({
  baseUrl: defaultBaseUrl(),
  autoRefreshMs: 0,
  apiKey: '',
});

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
    /** Surrounding whitespace is never part of a key (it comes with copy and paste); '' sends none. */
    setApiKey(state, action: PayloadAction<string>) {
      state.apiKey = action.payload.trim();
    },
  },
  extraReducers: (builder) => {
    builder.addCase(apiKeySubmitted, (state, action) => {
      state.apiKey = action.payload.trim();
    });
  },
  selectors: {
    selectBaseUrl: (state) => state.baseUrl,
    selectAutoRefreshMs: (state) => state.autoRefreshMs,
    selectApiKey: (state) => state.apiKey,
  },
});

export const { setBaseUrl, setAutoRefreshMs, setApiKey } = serverConfigSlice.actions;
export const { selectBaseUrl, selectAutoRefreshMs, selectApiKey } = serverConfigSlice.selectors;
