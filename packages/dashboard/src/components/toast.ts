import { notifications } from '@mantine/notifications';
import type { Toast, ToastKind } from '../app/slices/toasts';

const COLOR_BY_KIND: Record<ToastKind, string> = { info: 'blue', success: 'teal', warning: 'yellow', error: 'red' };

/**
 * Displays a toast through Mantine notifications. Components normally dispatch `toastAdded` (which records it and
 * lands here via the store's listener); call this directly only outside Redux.
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
