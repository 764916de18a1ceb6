/**
 * The footer's connection state, derived from the health probe, and what each state looks like: one place for the
 * state → colour/label map and for which changes deserve a toast.
 */
import type { MantineColor } from '@mantine/core';
import type { HealthProblem, HealthResponse } from '@agl/schemas';
import type { ToastKind } from '../../components/toast';

/** `degraded`: the store answers, but a background job (the watchdog, a commit…) keeps failing. */
export type ConnectionState = 'connecting' | 'connected' | 'degraded' | 'unreachable';

export const CONNECTION_LOOK: Record<ConnectionState, { color: MantineColor; label: string }> = {
  connecting: { color: 'gray', label: 'Connecting…' },
  connected: { color: 'teal', label: 'Connected' },
  degraded: { color: 'orange', label: 'Degraded' },
  unreachable: { color: 'red', label: 'Unreachable' },
};

/**
 * The last settled outcome decides (RTK Query keeps the previous error while a retry is pending), so the indicator
 * does not flicker green between failed probes. Any health error counts as unreachable: health needs no API key.
 */
export function deriveConnectionState(health: { data?: HealthResponse; error?: unknown }): ConnectionState {
  if (health.error) return 'unreachable';
  if (!health.data) return 'connecting';
  return health.data.status === 'degraded' ? 'degraded' : 'connected';
}

const NO_PROBLEMS: readonly HealthProblem[] = [];

/** What a degraded store reports failing; the same (empty) array while it is not degraded. */
export function problemsOf(health: { data?: HealthResponse; error?: unknown }): readonly HealthProblem[] {
  return !health.error && health.data?.status === 'degraded' ? (health.data.problems ?? NO_PROBLEMS) : NO_PROBLEMS;
}

export interface ConnectionToast {
  kind: ToastKind;
  title: string;
  message: string;
}

/** The toast for a change of settled state (`previous` is null before the first answer), or null for none. */
export function connectionToast(
  previous: ConnectionState | null,
  next: ConnectionState,
  baseUrl: string,
  problems: readonly HealthProblem[],
): ConnectionToast | null {
  if (next === previous || next === 'connecting') return null;
  const what = problems.map((p) => `${p.source}: ${p.message}`).join('; ') || 'a background job keeps failing';
  switch (next) {
    case 'unreachable':
      return { kind: 'error', title: 'Store unreachable', message: `${baseUrl} is not answering.` };
    case 'degraded':
      return previous === 'unreachable'
        ? { kind: 'warning', title: 'Store reachable again, but degraded', message: what }
        : { kind: 'warning', title: 'Store degraded', message: what };
    case 'connected':
      if (previous === 'unreachable') {
        return { kind: 'success', title: 'Store reachable again', message: `Connected to ${baseUrl}.` };
      }
      if (previous === 'degraded') {
        return { kind: 'success', title: 'Store healthy again', message: `${baseUrl} reports no problems.` };
      }
      return null;
  }
}
