import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

/**
 * What the one right-hand drawer shows. Only ids and a type: the drawer reads the objects from the RTK Query cache,
 * so it never shows a stale copy of server data.
 */
export type RawJsonSubject =
  | { kind: 'rollout'; rolloutId: string }
  | { kind: 'attempt'; rolloutId: string; attemptId: string }
  | { kind: 'span'; rolloutId: string; attemptId: string; spanId: string }
  | { kind: 'resources'; resourcesId: string };

export type DrawerContent =
  | { type: 'rawJson'; subject: RawJsonSubject }
  | { type: 'spanDetail'; rolloutId: string; attemptId: string; spanId: string };

export interface DrawersState {
  content: DrawerContent | null;
}

export const drawersSlice = createSlice({
  name: 'drawers',
  initialState: (): DrawersState => ({ content: null }),
  reducers: {
    openDrawer(state, action: PayloadAction<DrawerContent>) {
      state.content = action.payload;
    },
    closeDrawer(state) {
      state.content = null;
    },
  },
});

export const { openDrawer, closeDrawer } = drawersSlice.actions;
