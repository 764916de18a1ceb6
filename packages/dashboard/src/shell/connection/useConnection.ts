import { useEffect, useRef } from 'react';
import { HEALTH_POLL_MS, useGetHealthQuery } from '../../api/health';
import { selectIsRefreshing } from '../../api/selectors';
import { isApiError } from '../../api/baseQuery';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { selectBaseUrl } from '../../app/slices/serverConfig';
import { toastAdded } from '../../app/toasts';
import type { ConnectionState } from './ConnectionIndicator';

/**
 * Polls the store's health and derives the connection state. The last settled outcome decides (RTK Query keeps the
 * previous error while a retry is pending), so the indicator does not flicker green between failed probes.
 * Toasts announce the store going away and coming back.
 */
export function useConnection() {
  const baseUrl = useAppSelector(selectBaseUrl);
  const refreshing = useAppSelector(selectIsRefreshing);
  const health = useGetHealthQuery(undefined, {
    pollingInterval: HEALTH_POLL_MS,
    skipPollingIfUnfocused: true,
    refetchOnFocus: true,
  });
  const state: ConnectionState = health.error ? 'unreachable' : health.data ? 'connected' : 'connecting';
  const errorMessage = isApiError(health.error) ? health.error.message : undefined;

  const dispatch = useAppDispatch();
  const lastSettled = useRef<ConnectionState | null>(null);
  useEffect(() => {
    if (state === 'connecting') return;
    const previous = lastSettled.current;
    lastSettled.current = state;
    if (previous === state) return;
    if (state === 'unreachable') {
      dispatch(toastAdded({ kind: 'error', title: 'Store unreachable', message: `${baseUrl} is not answering.` }));
    } else if (previous === 'unreachable') {
      dispatch(toastAdded({ kind: 'success', title: 'Store reachable again', message: `Connected to ${baseUrl}.` }));
    }
  }, [state, baseUrl, dispatch]);

  return { baseUrl, state, refreshing, errorMessage };
}
