import { createAction, nanoid } from '@reduxjs/toolkit';
import type { Toast, ToastKind } from '../components/toast';

/**
 * Announces something to the user. Dispatched as an action (so it shows in Redux DevTools next to what caused it);
 * the store's listener displays it with Mantine notifications (see makeStore).
 */
export const toastAdded = createAction(
  'ui/toastAdded',
  (toast: { kind: ToastKind; title: string; message?: string }): { payload: Toast } => ({
    payload: { id: nanoid(), message: '', ...toast },
  }),
);
