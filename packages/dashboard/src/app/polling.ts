import { selectAutoRefreshMs } from './slices/serverConfig';
import { useAppSelector } from './hooks';

/**
 * RTK Query subscription options for list views: poll at the Settings interval (0 = off) and skip polls while the
 * tab is hidden (`setupListeners` feeds the visibility state). Spread it into a query hook's options.
 */
export function useAutoRefresh(): { pollingInterval: number; skipPollingIfUnfocused: boolean } {
  const autoRefreshMs = useAppSelector(selectAutoRefreshMs);
  return { pollingInterval: autoRefreshMs, skipPollingIfUnfocused: true };
}
