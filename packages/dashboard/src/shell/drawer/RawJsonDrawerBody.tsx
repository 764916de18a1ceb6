import { Text } from '@mantine/core';
import type { RawJsonSubject } from '../../app/slices/drawers';
import { JsonBlock } from '../../components/json/JsonBlock';
import { ErrorState, LoadingState } from '../../components/async';
import { useRawJsonSubject } from './useRawJsonSubject';

export function rawJsonTitle(subject: RawJsonSubject): string {
  switch (subject.kind) {
    case 'rollout':
      return `Rollout ${subject.rolloutId}`;
    case 'attempt':
      return `Attempt ${subject.attemptId}`;
    case 'span':
      return `Span ${subject.spanId}`;
    case 'resources':
      return `Resources ${subject.resourcesId}`;
  }
}

/** Raw JSON of one rollout / attempt / span / resources snapshot, read from the RTK Query cache. */
export function RawJsonDrawerBody({ subject }: { subject: RawJsonSubject }) {
  const { value, isLoading, error, refetch, isFetching } = useRawJsonSubject(subject);
  if (isLoading) return <LoadingState rows={8} />;
  if (error && value === undefined) return <ErrorState error={error} onRetry={refetch} retrying={isFetching} />;
  if (value === undefined) {
    return (
      <Text c="dimmed" data-testid="raw-json-missing">
        {rawJsonTitle(subject)} is not in the store (any more).
      </Text>
    );
  }
  return <JsonBlock value={value} label="Raw JSON" />;
}
