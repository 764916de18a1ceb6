/**
 * What the user has done to the Rollouts table: sort, filters, search, page, page size and expanded rows. It lives
 * apart from the data, so a refresh that brings new rows keeps all of it (docs/dashboard.md: sorting and the like are
 * cached in the store or on the component, never in the URL).
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { EMPTY_FILTERS, type RolloutFilters } from './rolloutsQuery';
import type { RolloutColumn } from './columns';
import { DEFAULT_SORT, type RolloutSort } from './rolloutSort';

export const PAGE_SIZES = [25, 50, 100, 200, 500] as const;
const DEFAULT_PAGE_SIZE = 100;

export interface RolloutsTableState {
  sort: RolloutSort;
  filters: RolloutFilters;
  search: string;
  /** 1-based; the pipeline clamps it when the data shrinks, this keeps what the user asked for. */
  page: number;
  pageSize: number;
  /** Rollout IDs whose attempts are shown in a nested table. */
  expanded: string[];
}

export const initialRolloutsTableState = (): RolloutsTableState => ({
  sort: DEFAULT_SORT,
  filters: EMPTY_FILTERS,
  search: '',
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
  expanded: [],
});

export const rolloutsTableSlice = createSlice({
  name: 'rolloutsTable',
  initialState: initialRolloutsTableState,
  reducers: {
    /** A header click: the same column flips direction, another column starts ascending. */
    sortToggled(state, action: PayloadAction<RolloutColumn>) {
      const column = action.payload;
      state.sort =
        state.sort.column === column
          ? { column, direction: state.sort.direction === 'asc' ? 'desc' : 'asc' }
          : { column, direction: 'asc' };
      state.page = 1;
    },
    /** Replaces the selection of the filters named in the payload; the others stay. */
    filterChanged(state, action: PayloadAction<Partial<RolloutFilters>>) {
      state.filters = { ...state.filters, ...action.payload };
      state.page = 1;
    },
    searchChanged(state, action: PayloadAction<string>) {
      state.search = action.payload;
      state.page = 1;
    },
    filtersCleared(state) {
      state.filters = EMPTY_FILTERS;
      state.search = '';
      state.page = 1;
    },
    pageChanged(state, action: PayloadAction<number>) {
      state.page = Math.max(1, Math.floor(action.payload));
    },
    pageSizeChanged(state, action: PayloadAction<number>) {
      // Keep the first visible row on screen: 201–300 at size 100 becomes 201–250 at size 50.
      const firstRow = (state.page - 1) * state.pageSize;
      state.pageSize = action.payload;
      state.page = Math.floor(firstRow / action.payload) + 1;
    },
    expansionToggled(state, action: PayloadAction<string>) {
      const at = state.expanded.indexOf(action.payload);
      if (at >= 0) state.expanded.splice(at, 1);
      else state.expanded.push(action.payload);
    },
  },
});

export const {
  sortToggled,
  filterChanged,
  searchChanged,
  filtersCleared,
  pageChanged,
  pageSizeChanged,
  expansionToggled,
} = rolloutsTableSlice.actions;
