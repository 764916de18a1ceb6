import { useCallback, type Dispatch } from 'react';
import { Stack } from '@mantine/core';
import type { UnknownAction } from '@reduxjs/toolkit';
import { useNavigate } from 'react-router';
import type { RolloutWithAttempt } from '@agl/schemas';
import { useAppDispatch } from '../../app/hooks';
import { openDrawer } from '../../app/slices/drawers';
import { showTraces } from '../../app/slices/routerState';
import { RolloutsPager } from './components/RolloutsPager';
import { RolloutsTable } from './components/RolloutsTable';
import { RolloutsToolbar } from './components/RolloutsToolbar';
import type { RolloutRow } from './rolloutRows';
import type { RolloutFilters } from './rolloutsQuery';
import {
  expansionToggled,
  filterChanged,
  filtersCleared,
  pageChanged,
  pageSizeChanged,
  searchChanged,
  sortToggled,
  type RolloutsTableState,
} from './rolloutsTableSlice';
import type { RolloutColumn } from './columns';
import { useRolloutsView } from './useRolloutsView';

export interface RolloutsViewProps {
  data: readonly RolloutWithAttempt[];
  state: RolloutsTableState;
  dispatch: Dispatch<UnknownAction>;
}

/** The loaded page: toolbar, counts and paging, and the current page of the table. */
export function RolloutsView({ data, state, dispatch }: RolloutsViewProps) {
  const { page, options, expanded, total, filtered } = useRolloutsView(data, state);
  const appDispatch = useAppDispatch();
  const navigate = useNavigate();

  const onSort = useCallback((column: RolloutColumn) => dispatch(sortToggled(column)), [dispatch]);
  const onSearch = useCallback((text: string) => dispatch(searchChanged(text)), [dispatch]);
  const onFilter = useCallback((change: Partial<RolloutFilters>) => dispatch(filterChanged(change)), [dispatch]);
  const onClear = useCallback(() => dispatch(filtersCleared()), [dispatch]);
  const onPage = useCallback((value: number) => dispatch(pageChanged(value)), [dispatch]);
  const onPageSize = useCallback((size: number) => dispatch(pageSizeChanged(size)), [dispatch]);
  const onToggleExpand = useCallback((rolloutId: string) => dispatch(expansionToggled(rolloutId)), [dispatch]);

  // The drawer reads the objects from the cache by ID; a nested row opens its own attempt.
  const onRawJson = useCallback(
    (row: RolloutRow) => {
      const rolloutId = row.rollout.rollout_id;
      const nestedAttempt = row.key !== rolloutId && row.attempt;
      appDispatch(
        openDrawer({
          type: 'rawJson',
          subject: nestedAttempt
            ? { kind: 'attempt', rolloutId, attemptId: nestedAttempt.attempt_id }
            : { kind: 'rollout', rolloutId },
        }),
      );
    },
    [appDispatch],
  );
  const onTraces = useCallback(
    (row: RolloutRow) => {
      appDispatch(showTraces({ rolloutId: row.rollout.rollout_id, attemptId: row.attempt?.attempt_id ?? null }));
      void navigate('/traces');
    },
    [appDispatch, navigate],
  );

  return (
    <Stack gap="sm">
      <RolloutsToolbar
        search={state.search}
        filters={state.filters}
        options={options}
        filtered={filtered}
        onSearch={onSearch}
        onFilter={onFilter}
        onClear={onClear}
      />
      <RolloutsPager
        page={page}
        pageSize={state.pageSize}
        unfilteredTotal={total}
        onPage={onPage}
        onPageSize={onPageSize}
      />
      <RolloutsTable
        rows={page.rows}
        sort={state.sort}
        onSort={onSort}
        expanded={expanded}
        onToggleExpand={onToggleExpand}
        onRawJson={onRawJson}
        onTraces={onTraces}
      />
    </Stack>
  );
}
