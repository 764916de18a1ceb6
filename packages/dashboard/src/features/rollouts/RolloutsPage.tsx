import { useReducer } from 'react';
import { QueryState } from '../../components/async';
import { initialRolloutsTableState, rolloutsTableSlice } from './rolloutsTableSlice';
import { RolloutsView } from './RolloutsView';
import { useRolloutsData } from './useRolloutsView';

/**
 * The Rollouts page (docs/dashboard.md, "Pages › Rollouts"): every rollout in the store with its latest attempt.
 *
 * The table's UI state (sort, filters, search, page, expanded rows) is held here, above the data, so refreshes never
 * reset it. It is the `rolloutsTable` slice's reducer run by `useReducer`, so it lives as long as the page: a visit
 * starts from the defaults. Injecting the slice into the root reducer (`rootReducer.inject`) would make it survive
 * navigation instead.
 */
export function RolloutsPage() {
  const [state, dispatch] = useReducer(rolloutsTableSlice.reducer, undefined, initialRolloutsTableState);
  const query = useRolloutsData();
  return (
    <QueryState
      query={query}
      emptyTitle="No rollouts yet"
      emptyDescription="Rollouts appear here as soon as a trainer or a runner enqueues or starts them."
      errorTitle="Could not load rollouts"
    >
      {(data) => <RolloutsView data={data} state={state} dispatch={dispatch} />}
    </QueryState>
  );
}
