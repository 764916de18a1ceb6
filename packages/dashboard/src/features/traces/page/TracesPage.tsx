/**
 * The Traces page: pick a rollout and attempt (or arrive from "View Traces"), see the attempt's summary and its
 * spans as a tree + waterfall (default) or a table; clicking a span opens its detail in the app drawer.
 */
import { useCallback, useMemo, useState } from 'react';
import { Group, SegmentedControl, Stack, Title } from '@mantine/core';
import { useViewportSize } from '@mantine/hooks';
import { skipToken } from '@reduxjs/toolkit/query';
import type { Span } from '@agl/schemas';
import { useAppDispatch } from '../../../app/hooks';
import { openDrawer } from '../../../app/slices/drawers';
import { useAutoRefresh } from '../../../app/polling';
import { useGetSpansQuery } from '../../../api/spans';
import { EmptyState, LoadingState, QueryState } from '../../../components/async';
import { summarizeAttempt } from '../lib/summary';
import { SpanTableView } from '../table/SpanTableView';
import { SpanTreeView } from '../tree/SpanTreeView';
import { AttemptPicker, RolloutPicker } from './TraceSelectors';
import { TraceSummary } from './TraceSummary';
import { useTraceSelection } from './useTraceSelection';

export type TraceViewMode = 'tree' | 'table';

export function TracesPage() {
  const selection = useTraceSelection();
  const { rolloutId, attemptId } = selection;
  const [mode, setMode] = useState<TraceViewMode>('tree');
  const polling = useAutoRefresh();
  const spansQuery = useGetSpansQuery(rolloutId && attemptId ? { rolloutId, attemptId } : skipToken, polling);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Group align="flex-end" gap="md">
          <Title order={2} mr="md">
            Traces
          </Title>
          <RolloutPicker
            rollouts={selection.rollouts}
            value={rolloutId}
            onChange={selection.selectRollout}
            loading={selection.rolloutsQuery.isLoading}
          />
          <AttemptPicker
            attempts={selection.attempts}
            value={attemptId}
            onChange={selection.selectAttempt}
            loading={selection.attemptsQuery.isLoading}
          />
        </Group>
        <SegmentedControl
          aria-label="View"
          value={mode}
          onChange={(value) => setMode(value as TraceViewMode)}
          data={[
            { value: 'tree', label: 'Tree' },
            { value: 'table', label: 'Table' },
          ]}
        />
      </Group>
      {rolloutId === null || attemptId === null ? (
        <NoSelection
          loading={selection.rolloutsQuery.isLoading || selection.attemptsQuery.isLoading}
          hasRollout={rolloutId !== null}
        />
      ) : (
        <QueryState
          query={spansQuery}
          emptyTitle="No spans yet"
          emptyDescription="This attempt has not reported any spans. With auto-refresh on, they appear here as the runner sends them."
          errorTitle="Could not load spans"
        >
          {(spans) => (
            // Keyed by attempt: switching attempts starts with a fresh expansion, selection and scroll.
            <AttemptSpans
              key={`${rolloutId}/${attemptId}`}
              spans={spans}
              rolloutId={rolloutId}
              attemptId={attemptId}
              mode={mode}
            />
          )}
        </QueryState>
      )}
    </Stack>
  );
}

function NoSelection({ loading, hasRollout }: { loading: boolean; hasRollout: boolean }) {
  if (loading) return <LoadingState />;
  return hasRollout ? (
    <EmptyState
      title="No attempts"
      description="This rollout is still queued: it has no attempt and so no spans yet."
    />
  ) : (
    <EmptyState
      title="No rollout selected"
      description="Pick a rollout above, or use “View Traces” on the Rollouts page."
    />
  );
}

interface AttemptSpansProps {
  spans: Span[];
  rolloutId: string;
  attemptId: string;
  mode: TraceViewMode;
}

function AttemptSpans({ spans, rolloutId, attemptId, mode }: AttemptSpansProps) {
  const dispatch = useAppDispatch();
  const [selectedSpanId, setSelectedSpanId] = useState<string | null>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const summary = useMemo(() => summarizeAttempt(spans), [spans]);
  const { height: viewportHeight } = useViewportSize();
  // Stable identity: the memoised tree rows receive it.
  const openSpan = useCallback(
    (spanId: string) => {
      setSelectedSpanId(spanId);
      dispatch(openDrawer({ type: 'spanDetail', rolloutId, attemptId, spanId }));
    },
    [dispatch, rolloutId, attemptId],
  );
  return (
    <Stack gap="md">
      <TraceSummary summary={summary} />
      {mode === 'tree' ? (
        <SpanTreeView
          spans={spans}
          selectedSpanId={selectedSpanId}
          onOpenSpan={openSpan}
          collapsed={collapsed}
          onCollapsedChange={setCollapsed}
          height={Math.max(320, viewportHeight - 340)}
        />
      ) : (
        <SpanTableView spans={spans} selectedSpanId={selectedSpanId} onOpenSpan={openSpan} />
      )}
    </Stack>
  );
}
