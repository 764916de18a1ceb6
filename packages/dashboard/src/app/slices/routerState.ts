import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

/**
 * Mirrors of cross-page parameters. The URL carries only the page in this iteration (docs/dashboard.md), so "show the
 * traces of this attempt" travels through here: the Rollouts page sets it, the Traces page reads it.
 */
export interface RouterStateState {
  traces: { rolloutId: string | null; attemptId: string | null };
}

export const routerStateSlice = createSlice({
  name: 'routerState',
  initialState: (): RouterStateState => ({ traces: { rolloutId: null, attemptId: null } }),
  reducers: {
    showTraces(state, action: PayloadAction<{ rolloutId: string | null; attemptId: string | null }>) {
      state.traces = { rolloutId: action.payload.rolloutId, attemptId: action.payload.attemptId };
    },
  },
});

export const { showTraces } = routerStateSlice.actions;
