/**
 * The store factory used by the app, tests and stories alike: one RTK Query API plus the small UI slices. Slices hold
 * settings, ids and UI state only; server data lives in the RTK Query cache.
 */
import { combineReducers, combineSlices, configureStore, type Action } from '@reduxjs/toolkit';
import { api } from '../api/api';
import { apiKeyPromptSlice, apiKeySubmitted } from './slices/apiKeyPrompt';
import { drawersSlice } from './slices/drawers';
import { routerStateSlice } from './slices/routerState';
import { initialServerConfig, serverConfigSlice, setApiKey, type ServerConfigState } from './slices/serverConfig';
import { themeSlice } from './slices/theme';
import { createAppListeners } from './listeners';

const uiReducer = combineReducers({
  drawers: drawersSlice.reducer,
  theme: themeSlice.reducer,
  routerState: routerStateSlice.reducer,
  apiKeyPrompt: apiKeyPromptSlice.reducer,
});

/** Feature slices that should outlive their page can be added later with `rootReducer.inject` (RTK combineSlices). */
export const rootReducer = combineSlices(api, serverConfigSlice, { ui: uiReducer });

export type RootState = ReturnType<typeof rootReducer>;

/** Any subset of the settings and UI state; the rest starts from the slices' defaults. */
export interface PreloadedState {
  serverConfig?: Partial<ServerConfigState>;
  ui?: Partial<RootState['ui']>;
}

const HIDDEN = '(hidden)';

/** Redux DevTools shows the whole state and every action: the API key is replaced before it gets there. */
export const devTools = {
  stateSanitizer: <S>(state: S): S => {
    const config = (state as Partial<RootState>).serverConfig;
    if (!config?.apiKey) return state;
    return { ...state, serverConfig: { ...config, apiKey: HIDDEN } };
  },
  actionSanitizer: <A extends Action>(action: A): A =>
    setApiKey.match(action) || apiKeySubmitted.match(action) ? { ...action, payload: HIDDEN } : action,
};

export function makeStore(preloadedState: PreloadedState = {}) {
  const listeners = createAppListeners();
  return configureStore({
    reducer: rootReducer,
    // combineReducers fills in the slices that are missing from a partial `ui`.
    preloadedState: {
      serverConfig: { ...initialServerConfig(), ...preloadedState.serverConfig },
      ui: preloadedState.ui,
    } as Partial<RootState>,
    middleware: (getDefault) => getDefault().prepend(listeners.middleware).concat(api.middleware),
    devTools,
  });
}

export type AppStore = ReturnType<typeof makeStore>;
export type AppDispatch = AppStore['dispatch'];
