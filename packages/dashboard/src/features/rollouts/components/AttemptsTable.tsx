import { useMemo } from 'react';
import { Box, Table } from '@mantine/core';
import type { RolloutWithAttempt } from '@agl/schemas';
import { useGetRolloutAttemptsQuery } from '../../../api/rollouts';
import { useAutoRefresh } from '../../../app/polling';
import { ErrorState, LoadingState } from '../../../components/async';
import { buildAttemptRows, epochSecondsNow } from '../rolloutRows';
import type { RowActions } from './RolloutCells';
import { RolloutTableRow } from './RolloutTableRow';
import { SortableHeader } from './SortableHeader';

/**
 * The expansion of a retried rollout: every attempt, loaded when the row opens (docs/dashboard.md), kept current by
 * the same auto-refresh as the page. Only data, error and first load are watched, so an unchanged poll (304) does not
 * re-render it.
 */
export function AttemptsTable({ rollout, onRawJson, onTraces }: { rollout: RolloutWithAttempt } & RowActions) {
  const polling = useAutoRefresh();
  const { data, error, isLoading, refetch } = useGetRolloutAttemptsQuery(rollout.rollout_id, {
    ...polling,
    selectFromResult: ({ data, error, isLoading }) => ({ data, error, isLoading }),
  });
  // `rollout` is part of the key: a new latest attempt on the parent row rebuilds the nested rows as well.
  const rows = useMemo(() => (data ? buildAttemptRows(rollout, data, epochSecondsNow()) : []), [rollout, data]);

  let content;
  if (isLoading || (!data && !error)) content = <LoadingState rows={2} />;
  else if (error && !data) content = <ErrorState error={error} title="Could not load attempts" onRetry={refetch} />;
  else
    content = (
      <Table layout="fixed" fz="xs" verticalSpacing={4} withRowBorders={false} data-testid="attempts-table">
        <Table.Thead>
          <SortableHeader />
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <RolloutTableRow key={row.key} row={row} nested onRawJson={onRawJson} onTraces={onTraces} />
          ))}
        </Table.Tbody>
      </Table>
    );

  return (
    <Box
      py="xs"
      // A bar on the left marks the nesting while the columns stay aligned with the rollout rows above.
      style={{ borderLeft: '3px solid var(--mantine-primary-color-filled)' }}
      bg="var(--mantine-color-default-hover)"
      aria-label={`Attempts of ${rollout.rollout_id}`}
      role="region"
    >
      {content}
    </Box>
  );
}
