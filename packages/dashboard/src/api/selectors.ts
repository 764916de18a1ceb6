import type { api } from './api';

/**
 * True while any data request (anything but the health probe) is in flight: a first load, a poll or a manual
 * refresh. Drives the blinking "Refreshing" in the navbar footer.
 */
export function selectIsRefreshing(state: { api: ReturnType<typeof api.reducer> }): boolean {
  for (const entry of Object.values(state.api.queries)) {
    if (entry && entry.status === 'pending' && entry.endpointName !== 'getHealth') return true;
  }
  return false;
}
