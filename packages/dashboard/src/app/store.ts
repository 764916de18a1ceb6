/**
 * The store factory used by the app, tests and stories alike: one RTK Query API plus the small UI slices. Slices hold
 * settings, ids and UI state only; server data lives in the RTK Query cache.
 */
import { combineReducers, combineSlices, configureStore, createListenerMiddleware } from '@reduxjs/toolkit';
import { api } from '../api/api';
import { drawersSlice } from './slices/drawers';
import { routerStateSlice } from './slices/routerState';
import { serverConfigSlice, setBaseUrl } from './slices/serverConfig';
import { themeSlice } from './slices/theme';
import { toastAdded, toastsSlice } from './slices/toasts';
import { showToast } from '../components/toast';

const uiReducer = combineReducers({
  toasts: toastsSlice.reducer,
  drawers: drawersSlice.reducer,
  theme: themeSlice.reducer,
  routerState: routerStateSlice.reducer,
});

/**
 * Feature slices that are not part of the core state add themselves here by declaration merging and inject their
 * reducer at import time (RTK `combineSlices`):
 *
 *   declare module '../../app/store' { interface LazyLoadedSlices extends WithSlice<typeof mySlice> {} }
 *   const injected = mySlice.injectInto(rootReducer);
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LazyLoadedSlices {}

export const rootReducer = combineSlices(api, serverConfigSlice, {
  ui: uiReducer,
}).withLazyLoadedSlices<LazyLoadedSlices>();

export type RootState = ReturnType<typeof rootReducer>;

/** Any subset of the settings and UI state; the rest starts from the slices' defaults. */
export interface PreloadedState {
  serverConfig?: RootState['serverConfig'];
  ui?: Partial<RootState['ui']>;
}

export function makeStore(preloadedState: PreloadedState = {}) {
  const listeners = createListenerMiddleware();

  // Cached data belongs to the store it came from: a new address drops it all, and every mounted query refetches
  // from the new store instead of showing the old one's rows.
  listeners.startListening({
    actionCreator: setBaseUrl,
    effect: (_action, listenerApi) => {
      const before = (listenerApi.getOriginalState() as RootState).serverConfig.baseUrl;
      const after = (listenerApi.getState() as RootState).serverConfig.baseUrl;
      if (before !== after) listenerApi.dispatch(api.util.resetApiState());
    },
  });

  // Toasts are recorded in Redux and displayed by Mantine notifications.
  listeners.startListening({
    actionCreator: toastAdded,
    effect: (action) => showToast(action.payload),
  });

  return configureStore({
    reducer: rootReducer,
    // combineReducers fills in the slices that are missing from a partial `ui`.
    preloadedState: preloadedState as Partial<RootState>,
    middleware: (getDefault) => getDefault().prepend(listeners.middleware).concat(api.middleware),
  });
}

export type AppStore = ReturnType<typeof makeStore>;
export type AppDispatch = AppStore['dispatch'];
