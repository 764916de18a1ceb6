import { useEffect, useRef } from 'react';
import { HEALTH_POLL_MS, useGetHealthQuery } from '../../api/health';
import { selectIsRefreshing } from '../../api/selectors';
import { isApiError } from '../../api/baseQuery';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { selectBaseUrl } from '../../app/slices/serverConfig';
import { toastAdded } from '../../app/toasts';
import { connectionToast, deriveConnectionState, problemsOf, type ConnectionState } from './connectionState';

/**
 * Polls the store's health and derives the connection state (connectionState.ts). Toasts announce the store going
 * away, coming back, turning degraded and healthy again.
 */
export function useConnection() {
  const baseUrl = useAppSelector(selectBaseUrl);
  const refreshing = useAppSelector(selectIsRefreshing);
  const health = useGetHealthQuery(undefined, {
    pollingInterval: HEALTH_POLL_MS,
    skipPollingIfUnfocused: true,
    refetchOnFocus: true,
  });
  const state = deriveConnectionState(health);
  const problems = problemsOf(health);
  const errorMessage = isApiError(health.error) ? health.error.message : undefined;

  const dispatch = useAppDispatch();
  const lastSettled = useRef<ConnectionState | null>(null);
  useEffect(() => {
    if (state === 'connecting') return;
    const toast = connectionToast(lastSettled.current, state, baseUrl, problems);
    lastSettled.current = state;
    if (toast) dispatch(toastAdded(toast));
  }, [state, baseUrl, problems, dispatch]);

  return { baseUrl, state, refreshing, errorMessage, problems };
}
