/**
 * What the store does in reaction to actions, beyond updating state: drop or retry cached data when the address or
 * the API key changes, ask for a key on a 401, and display toasts.
 */
import { createListenerMiddleware, isAnyOf, isRejectedWithValue } from '@reduxjs/toolkit';
import { api, TAG_TYPES } from '../api/api';
import { isApiError } from '../api/baseQuery';
import { showToast } from '../components/toast';
import { apiKeyPromptReset, apiKeyRequired, apiKeySubmitted } from './slices/apiKeyPrompt';
import { setApiKey, setBaseUrl, type ServerConfigState } from './slices/serverConfig';
import { toastAdded } from './toasts';

interface StateWithConfig {
  serverConfig: ServerConfigState;
  ui: { apiKeyPrompt: { status: string } };
}

export function createAppListeners() {
  const listeners = createListenerMiddleware();

  listeners.startListening({
    matcher: isAnyOf(setBaseUrl, setApiKey, apiKeySubmitted),
    effect: (action, listenerApi) => {
      const before = (listenerApi.getOriginalState() as StateWithConfig).serverConfig;
      const after = (listenerApi.getState() as StateWithConfig).serverConfig;
      const newAddress = before.baseUrl !== after.baseUrl;
      const newKey = before.apiKey !== after.apiKey;
      if (newAddress || newKey) listenerApi.dispatch(apiKeyPromptReset());
      if (newAddress) {
        // Cached data belongs to the store it came from: a new address drops it all, and every mounted query
        // refetches from the new store instead of showing the old one's rows.
        listenerApi.dispatch(api.util.resetApiState());
      } else if (newKey || apiKeySubmitted.match(action)) {
        // Same store, other credentials: keep what is on screen and retry everything (the 401s included).
        listenerApi.dispatch(api.util.invalidateTags([...TAG_TYPES]));
      }
    },
  });

  listeners.startListening({
    predicate: (action) => isRejectedWithValue(action) && isApiError(action.payload) && action.payload.status === 401,
    effect: (_action, listenerApi) => {
      const state = listenerApi.getState() as StateWithConfig;
      if (state.ui.apiKeyPrompt.status !== 'idle') return;
      listenerApi.dispatch(apiKeyRequired({ refused: state.serverConfig.apiKey !== '' }));
    },
  });

  listeners.startListening({ actionCreator: toastAdded, effect: (action) => showToast(action.payload) });

  return listeners;
}
