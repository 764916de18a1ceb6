/**
 * Which rollout and attempt the Traces page shows. The choice lives in `ui/routerState.traces` (the Rollouts
 * page's "View Traces" writes it; the pickers here write it too, so it survives a trip to another page).
 * `attemptId: null` means "the latest attempt", which follows new retries as they appear.
 */
import { useMemo } from 'react';
import { skipToken } from '@reduxjs/toolkit/query';
import type { RolloutWithAttempt } from '@agl/schemas';
import { useAppDispatch, useAppSelector } from '../../../app/hooks';
import { showTraces } from '../../../app/slices/routerState';
import { useAutoRefresh } from '../../../app/polling';
import { useGetRolloutAttemptsQuery, useGetRolloutsQuery } from '../../../api/rollouts';

/** Newest first, so the picker opens on what is happening now. */
function sortRolloutsNewestFirst(rollouts: readonly RolloutWithAttempt[]): RolloutWithAttempt[] {
  return [...rollouts].sort((a, b) => b.start_time - a.start_time);
}

export function useTraceSelection() {
  const dispatch = useAppDispatch();
  const chosen = useAppSelector((state) => state.ui.routerState.traces);
  const polling = useAutoRefresh();
  const rolloutsQuery = useGetRolloutsQuery(undefined, polling);
  const rollouts = useMemo(() => sortRolloutsNewestFirst(rolloutsQuery.data ?? []), [rolloutsQuery.data]);

  // Nothing chosen yet: show the newest rollout that has an attempt (an empty page would only say "pick one").
  const rolloutId = chosen.rolloutId ?? rollouts.find((r) => r.attempt)?.rollout_id ?? null;
  const attemptsQuery = useGetRolloutAttemptsQuery(rolloutId ?? skipToken, polling);
  const attempts = useMemo(() => attemptsQuery.data ?? [], [attemptsQuery.data]);
  const latestAttemptId = attempts.at(-1)?.attempt_id ?? null;
  const attemptId = chosen.rolloutId === rolloutId && chosen.attemptId ? chosen.attemptId : latestAttemptId;

  return {
    rollouts,
    rolloutsQuery,
    rolloutId,
    attempts,
    attemptsQuery,
    attemptId,
    /** The user asked for this exact attempt (not "latest"). */
    attemptPinned: chosen.rolloutId === rolloutId && chosen.attemptId !== null,
    selectRollout: (id: string | null) => dispatch(showTraces({ rolloutId: id, attemptId: null })),
    selectAttempt: (id: string | null) => dispatch(showTraces({ rolloutId, attemptId: id })),
  };
}
