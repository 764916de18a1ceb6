import { notifications } from '@mantine/notifications';

export type ToastKind = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  id: string;
  kind: ToastKind;
  title: string;
  message: string;
}

const COLOR_BY_KIND: Record<ToastKind, string> = { info: 'blue', success: 'teal', warning: 'orange', error: 'red' };

/**
 * Displays a toast through Mantine notifications. Code inside the app dispatches `toastAdded` (app/toasts.ts), which
 * lands here through the store's listener; call this directly only outside Redux.
 */
export function showToast(toast: Pick<Toast, 'kind' | 'title' | 'message'> & { id?: string }): void {
  notifications.show({
    id: toast.id,
    title: toast.title,
    message: toast.message,
    color: COLOR_BY_KIND[toast.kind],
    autoClose: toast.kind === 'error' ? 8_000 : 4_000,
  });
}
