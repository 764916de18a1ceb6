/**
 * The body of the app drawer for `{ type: 'spanDetail' }` (default export, lazy-loaded by AppDrawer). It reads the
 * span from the same getSpans cache entry the Traces page uses, so it costs no request when opened from there and
 * stays current as auto-refresh brings newer data.
 */
import { Text } from '@mantine/core';
import { useGetSpansQuery } from '../../api/spans';
import { ErrorState, LoadingState } from '../../components/async';
import { SpanDetail } from './detail/SpanDetail';

export interface SpanDetailDrawerProps {
  rolloutId: string;
  attemptId: string;
  spanId: string;
}

export default function SpanDetailDrawer({ rolloutId, attemptId, spanId }: SpanDetailDrawerProps) {
  const query = useGetSpansQuery(
    { rolloutId, attemptId },
    { selectFromResult: (r) => ({ ...r, span: r.data?.find((s) => s.span_id === spanId) }) },
  );
  if (query.isLoading) return <LoadingState rows={8} />;
  if (query.span) return <SpanDetail span={query.span} />;
  if (query.error) return <ErrorState error={query.error} title="Could not load the span" onRetry={query.refetch} />;
  return (
    <Text c="dimmed" size="sm">
      Span {spanId} is not among the spans of attempt {attemptId}.
    </Text>
  );
}
