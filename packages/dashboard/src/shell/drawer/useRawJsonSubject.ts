import { skipToken } from '@reduxjs/toolkit/query';
import { useGetResourcesQuery } from '../../api/resources';
import { useGetRolloutAttemptsQuery, useGetRolloutsQuery } from '../../api/rollouts';
import { useGetSpansQuery } from '../../api/spans';
import type { RawJsonSubject } from '../../app/slices/drawers';

export interface RawJsonResult {
  value: unknown;
  isLoading: boolean;
  isFetching: boolean;
  error: unknown;
  refetch: () => void;
}

/**
 * Finds the subject in the same cache entries the pages use (a hit when opened from a page, a fetch otherwise).
 * Only the query matching the subject's kind runs; the others are skipped.
 */
export function useRawJsonSubject(subject: RawJsonSubject): RawJsonResult {
  const rollouts = useGetRolloutsQuery(subject.kind === 'rollout' ? undefined : skipToken);
  const attempts = useGetRolloutAttemptsQuery(subject.kind === 'attempt' ? subject.rolloutId : skipToken);
  const spans = useGetSpansQuery(
    subject.kind === 'span' ? { rolloutId: subject.rolloutId, attemptId: subject.attemptId } : skipToken,
  );
  const resources = useGetResourcesQuery(subject.kind === 'resources' ? undefined : skipToken);

  switch (subject.kind) {
    case 'rollout':
      return pick(
        rollouts,
        rollouts.data?.find((r) => r.rollout_id === subject.rolloutId),
      );
    case 'attempt':
      return pick(
        attempts,
        attempts.data?.find((a) => a.attempt_id === subject.attemptId),
      );
    case 'span':
      return pick(
        spans,
        spans.data?.find((s) => s.span_id === subject.spanId),
      );
    case 'resources':
      return pick(
        resources,
        resources.data?.find((r) => r.resources_id === subject.resourcesId),
      );
  }
}

function pick(
  query: { isLoading: boolean; isFetching: boolean; error?: unknown; refetch: () => unknown },
  value: unknown,
): RawJsonResult {
  return {
    value,
    isLoading: query.isLoading,
    isFetching: query.isFetching,
    error: query.error,
    refetch: () => void query.refetch(),
  };
}
