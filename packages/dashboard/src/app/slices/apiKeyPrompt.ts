import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

/**
 * Whether the dashboard is asking for an API key. A store started with `--api-key` answers 401 to every request
 * without it; the first 401 opens the prompt, and every other 401 (polls, other pages) is ignored while it is open or
 * after the user cancelled it, until the key or the address changes (makeStore's listener resets it).
 */
export interface ApiKeyPromptState {
  status: 'idle' | 'open' | 'dismissed';
  /** The 401 came although a key was sent: that key is wrong. */
  refused: boolean;
}

const idle = (): ApiKeyPromptState => ({ status: 'idle', refused: false });

export const apiKeyPromptSlice = createSlice({
  name: 'apiKeyPrompt',
  initialState: idle,
  reducers: {
    apiKeyRequired(state, action: PayloadAction<{ refused: boolean }>) {
      if (state.status !== 'idle') return;
      state.status = 'open';
      state.refused = action.payload.refused;
    },
    /** Cancel: the 401 errors stay on screen, and no further 401 asks again. */
    apiKeyPromptDismissed(state) {
      state.status = 'dismissed';
    },
    /** Save in the prompt: serverConfig takes the key, the failed requests are retried (makeStore's listener). */
    apiKeySubmitted: (_state, _action: PayloadAction<string>) => idle(),
    apiKeyPromptReset: idle,
  },
});

export const { apiKeyRequired, apiKeyPromptDismissed, apiKeySubmitted, apiKeyPromptReset } = apiKeyPromptSlice.actions;
