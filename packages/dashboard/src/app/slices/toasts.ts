import { createSlice, nanoid, type PayloadAction } from '@reduxjs/toolkit';

export type ToastKind = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  id: string;
  kind: ToastKind;
  title: string;
  message: string;
  /** Epoch milliseconds. */
  at: number;
}

/** The most recent toasts, newest last; Mantine notifications display them (see toastMiddleware). */
export interface ToastsState {
  recent: Toast[];
}

const MAX_RECENT = 20;

export const toastsSlice = createSlice({
  name: 'toasts',
  initialState: (): ToastsState => ({ recent: [] }),
  reducers: {
    toastAdded: {
      reducer(state, action: PayloadAction<Toast>) {
        state.recent.push(action.payload);
        if (state.recent.length > MAX_RECENT) state.recent.splice(0, state.recent.length - MAX_RECENT);
      },
      prepare(toast: { kind: ToastKind; title: string; message?: string }) {
        return { payload: { id: nanoid(), message: '', ...toast, at: Date.now() } };
      },
    },
  },
});

export const { toastAdded } = toastsSlice.actions;
