import { describe, expect, it } from 'vitest';
import {
  expansionToggled,
  filterChanged,
  filtersCleared,
  initialRolloutsTableState,
  pageChanged,
  pageSizeChanged,
  rolloutsTableSlice,
  searchChanged,
  sortToggled,
} from './rolloutsTableSlice';

const reduce = rolloutsTableSlice.reducer;

describe('rolloutsTableSlice', () => {
  it('starts at page 1 of 100, newest start time first, nothing filtered or expanded', () => {
    expect(initialRolloutsTableState()).toEqual({
      sort: { column: 'startTime', direction: 'desc' },
      filters: { status: [], mode: [], resources: [], worker: [] },
      search: '',
      page: 1,
      pageSize: 100,
      expanded: [],
    });
  });

  it('flips the direction on the same column and starts another column ascending, back on page 1', () => {
    let state = reduce({ ...initialRolloutsTableState(), page: 4 }, sortToggled('startTime'));
    expect(state.sort).toEqual({ column: 'startTime', direction: 'asc' });
    expect(state.page).toBe(1);
    state = reduce(state, sortToggled('duration'));
    expect(state.sort).toEqual({ column: 'duration', direction: 'asc' });
    state = reduce(state, sortToggled('duration'));
    expect(state.sort).toEqual({ column: 'duration', direction: 'desc' });
  });

  it('changes one filter at a time and returns to page 1', () => {
    let state = reduce({ ...initialRolloutsTableState(), page: 2 }, filterChanged({ mode: ['train', null] }));
    state = reduce(state, filterChanged({ status: ['attempt:timeout'] }));
    expect(state.filters).toEqual({ status: ['attempt:timeout'], mode: ['train', null], resources: [], worker: [] });
    expect(state.page).toBe(1);
  });

  it('clears filters and search together but keeps sort, page size and expanded rows', () => {
    let state = reduce(initialRolloutsTableState(), filterChanged({ worker: ['w-1'] }));
    state = reduce(state, searchChanged('ro-1'));
    state = reduce(state, sortToggled('rollout'));
    state = reduce(state, pageSizeChanged(50));
    state = reduce(state, expansionToggled('ro-1'));
    state = reduce(state, filtersCleared());
    expect(state).toMatchObject({ search: '', filters: { worker: [] }, pageSize: 50, expanded: ['ro-1'] });
    expect(state.sort.column).toBe('rollout');
  });

  it('keeps the first visible row on screen when the page size changes', () => {
    // Page 3 of 100 shows rows 201–300; at 50 a page, row 201 is on page 5.
    let state = reduce(initialRolloutsTableState(), pageChanged(3));
    state = reduce(state, pageSizeChanged(50));
    expect(state).toMatchObject({ page: 5, pageSize: 50 });
    state = reduce(state, pageSizeChanged(500));
    expect(state).toMatchObject({ page: 1, pageSize: 500 });
  });

  it('toggles expansion per rollout', () => {
    let state = reduce(initialRolloutsTableState(), expansionToggled('ro-a'));
    state = reduce(state, expansionToggled('ro-b'));
    state = reduce(state, expansionToggled('ro-a'));
    expect(state.expanded).toEqual(['ro-b']);
  });
});
