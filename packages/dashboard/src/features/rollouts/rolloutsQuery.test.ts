import { describe, expect, it } from 'vitest';
import { buildRolloutRows, type RolloutRow } from './rolloutRows';
import { EMPTY_FILTERS, filterOptions, filterRows, hasActiveFilters } from './rolloutsQuery';
import type { RolloutColumn } from './columns';
import { isSortOrderPrepared, prepareSortOrder, ROLLOUT_COLUMNS, sortRows } from './rolloutSort';
import { makeRollout, rolloutId } from './testData';

const NOW = 1_761_750_000;

/** A small store with every kind of row: queued (no attempt), running, retried, finished, cancelled. */
const rollouts = [
  makeRollout({ rollout_id: 'ro-aaa', status: 'queuing', start_time: NOW - 10, mode: null, input: 'zeta' }),
  makeRollout({
    rollout_id: 'ro-bbb',
    status: 'running',
    start_time: NOW - 500,
    mode: 'val',
    input: { q: 'alpha' },
    attempt: {
      attempt_id: 'at-b',
      status: 'running',
      start_time: NOW - 100,
      worker_id: 'w-2',
      last_heartbeat_time: NOW - 3,
    },
  }),
  makeRollout({
    rollout_id: 'ro-ccc',
    status: 'requeuing',
    start_time: NOW - 900,
    resources_id: 'rs-2',
    input: 7,
    attempt: { attempt_id: 'at-c', sequence_id: 2, status: 'timeout', start_time: NOW - 400, worker_id: 'w-1' },
  }),
  makeRollout({
    rollout_id: 'ro-ddd',
    status: 'succeeded',
    start_time: NOW - 900,
    end_time: NOW - 800,
    mode: 'test',
    resources_id: null,
    input: null,
    attempt: {
      attempt_id: 'at-d',
      status: 'succeeded',
      start_time: NOW - 850,
      end_time: NOW - 800,
      worker_id: 'w-1',
      last_heartbeat_time: NOW - 801,
    },
  }),
  makeRollout({
    rollout_id: 'ro-eee',
    status: 'cancelled',
    start_time: NOW - 20,
    end_time: NOW - 5,
    attempt: { attempt_id: 'at-e', status: 'running', start_time: NOW - 10, worker_id: '' },
  }),
];
const rows = buildRolloutRows(rollouts, NOW);
const ids = (list: readonly RolloutRow[]) => list.map((r) => r.rollout.rollout_id);

describe('sortRows', () => {
  it('sorts by start time as displayed, newest first by default direction desc', () => {
    // ro-ddd (NOW-850) and ro-ccc (NOW-400) use their attempts' start; ro-aaa has none and uses its own, which is
    // the same second as ro-eee's attempt: the later-created ro-eee comes first.
    expect(ids(sortRows(rows, { column: 'startTime', direction: 'desc' }))).toEqual([
      'ro-eee',
      'ro-aaa',
      'ro-bbb',
      'ro-ccc',
      'ro-ddd',
    ]);
  });

  it('sorts durations as numbers, not as their text', () => {
    // ro-aaa 10s (running), ro-eee 5s (ended with the cancelled rollout), ro-bbb 100s, ro-ccc 400s, ro-ddd 50s.
    expect(ids(sortRows(rows, { column: 'duration', direction: 'asc' }))).toEqual([
      'ro-eee',
      'ro-aaa',
      'ro-ddd',
      'ro-bbb',
      'ro-ccc',
    ]);
  });

  it('puts missing values last in both directions', () => {
    expect(ids(sortRows(rows, { column: 'attempt', direction: 'asc' })).at(-1)).toBe('ro-aaa');
    expect(ids(sortRows(rows, { column: 'attempt', direction: 'desc' })).at(-1)).toBe('ro-aaa');
    expect(ids(sortRows(rows, { column: 'mode', direction: 'desc' })).at(-1)).toBe('ro-aaa');
  });

  it('orders heartbeats by the age the cell shows: ascending is the freshest first', () => {
    expect(ids(sortRows(rows, { column: 'heartbeat', direction: 'asc' })).slice(0, 2)).toEqual(['ro-bbb', 'ro-ddd']);
  });

  it('sorts by the status text and the input preview', () => {
    expect(ids(sortRows(rows, { column: 'status', direction: 'asc' }))).toEqual([
      'ro-eee', // cancelled - running
      'ro-aaa', // queuing
      'ro-ccc', // requeuing - timeout
      'ro-bbb', // running
      'ro-ddd', // succeeded
    ]);
    // `"zeta"`, `7`, `null`, `{"q":"alpha"}`, `{"task":"demo"}` in code-unit order.
    expect(ids(sortRows(rows, { column: 'input', direction: 'asc' }))).toEqual([
      'ro-aaa',
      'ro-ccc',
      'ro-ddd',
      'ro-bbb',
      'ro-eee',
    ]);
  });

  it('breaks ties by creation order, reversed when descending, so newest first holds within one second', () => {
    const same = buildRolloutRows(
      [1, 2, 3, 4].map((n) => makeRollout({ rollout_id: rolloutId(n), start_time: NOW + n / 10 })),
      NOW,
    );
    expect(ids(sortRows(same, { column: 'startTime', direction: 'asc' }))).toEqual(ids(same));
    expect(ids(sortRows(same, { column: 'startTime', direction: 'desc' }))).toEqual(ids(same).reverse());
  });

  it('gives the same order on every call for the same data (rows never jump between refreshes)', () => {
    const again = buildRolloutRows(rollouts, NOW);
    for (const column of ROLLOUT_COLUMNS as readonly RolloutColumn[]) {
      for (const direction of ['asc', 'desc'] as const) {
        expect(ids(sortRows(again, { column, direction }))).toEqual(ids(sortRows(rows, { column, direction })));
      }
    }
  });

  it('sorts by every column without losing or duplicating rows, and leaves its input alone', () => {
    const before = ids(rows);
    for (const column of ROLLOUT_COLUMNS as readonly RolloutColumn[]) {
      const sorted = sortRows(rows, { column, direction: 'asc' });
      expect([...ids(sorted)].sort()).toEqual([...before].sort());
    }
    expect(ids(rows)).toEqual(before);
  });

  it('gives the same order whether the column was prepared ahead or not, in both directions', () => {
    const fresh = buildRolloutRows(rollouts, NOW);
    expect(isSortOrderPrepared(fresh, 'worker')).toBe(false);
    prepareSortOrder(fresh, 'worker');
    expect(isSortOrderPrepared(fresh, 'worker')).toBe(true);
    for (const direction of ['asc', 'desc'] as const) {
      expect(ids(sortRows(fresh, { column: 'worker', direction }))).toEqual(
        ids(sortRows(rows, { column: 'worker', direction })),
      );
    }
    // Workers: '' (ro-eee), w-1 (ro-ccc, ro-ddd tie), w-2 (ro-bbb), none (ro-aaa).
    expect(ids(sortRows(fresh, { column: 'worker', direction: 'desc' }))).toEqual([
      'ro-bbb',
      'ro-ddd',
      'ro-ccc',
      'ro-eee',
      'ro-aaa',
    ]);
  });

  it('sorts many tied and missing keys, descending as the reverse of ascending with N/A last', () => {
    const list = buildRolloutRows(
      [3, 1, 3, 2, 1, 3].map((n, i) =>
        makeRollout({ rollout_id: rolloutId(i), mode: n === 2 ? null : n === 1 ? 'train' : 'val' }),
      ),
      NOW,
    );
    expect(ids(sortRows(list, { column: 'mode', direction: 'desc' }))).toEqual(
      [5, 2, 0, 4, 1, 3].map((i) => rolloutId(i)),
    );
    expect(ids(sortRows(list, { column: 'mode', direction: 'asc' }))).toEqual(
      [1, 4, 0, 2, 5, 3].map((i) => rolloutId(i)),
    );
  });
});

describe('filterRows', () => {
  it('returns everything with no filter and no search', () => {
    expect(filterRows(rows, EMPTY_FILTERS, '  ')).toHaveLength(5);
  });

  it('matches a rollout status or an attempt status', () => {
    expect(ids(filterRows(rows, { ...EMPTY_FILTERS, status: ['rollout:running'] }, ''))).toEqual(['ro-bbb']);
    expect(ids(filterRows(rows, { ...EMPTY_FILTERS, status: ['attempt:running'] }, ''))).toEqual(['ro-bbb', 'ro-eee']);
    expect(ids(filterRows(rows, { ...EMPTY_FILTERS, status: ['attempt:timeout', 'rollout:queuing'] }, ''))).toEqual([
      'ro-aaa',
      'ro-ccc',
    ]);
  });

  it('filters mode, resources and worker, with null standing for N/A', () => {
    expect(ids(filterRows(rows, { ...EMPTY_FILTERS, mode: [null, 'test'] }, ''))).toEqual(['ro-aaa', 'ro-ddd']);
    expect(ids(filterRows(rows, { ...EMPTY_FILTERS, resources: ['rs-2', null] }, ''))).toEqual(['ro-ccc', 'ro-ddd']);
    expect(ids(filterRows(rows, { ...EMPTY_FILTERS, worker: ['w-1'] }, ''))).toEqual(['ro-ccc', 'ro-ddd']);
    // A rollout without an attempt has no worker; an empty worker ID is a value of its own.
    expect(ids(filterRows(rows, { ...EMPTY_FILTERS, worker: [null] }, ''))).toEqual(['ro-aaa']);
    expect(ids(filterRows(rows, { ...EMPTY_FILTERS, worker: [''] }, ''))).toEqual(['ro-eee']);
  });

  it('ANDs different filters and the search', () => {
    const filters = { ...EMPTY_FILTERS, worker: ['w-1'], status: ['rollout:succeeded' as const] };
    expect(ids(filterRows(rows, filters, ''))).toEqual(['ro-ddd']);
    expect(ids(filterRows(rows, filters, 'ccc'))).toEqual([]);
  });

  it('searches rollout IDs by substring, ignoring case and surrounding spaces', () => {
    expect(ids(filterRows(rows, EMPTY_FILTERS, ' CC '))).toEqual(['ro-ccc']);
    expect(ids(filterRows(rows, EMPTY_FILTERS, 'ro-'))).toHaveLength(5);
    expect(filterRows(rows, EMPTY_FILTERS, 'at-b')).toEqual([]);
  });

  it('keeps the order it is given', () => {
    const sorted = sortRows(rows, { column: 'rollout', direction: 'desc' });
    expect(ids(filterRows(sorted, { ...EMPTY_FILTERS, worker: ['w-1', 'w-2'] }, ''))).toEqual([
      'ro-ddd',
      'ro-ccc',
      'ro-bbb',
    ]);
  });

  it('knows when anything is filtered', () => {
    expect(hasActiveFilters(EMPTY_FILTERS, ' ')).toBe(false);
    expect(hasActiveFilters(EMPTY_FILTERS, 'ro')).toBe(true);
    expect(hasActiveFilters({ ...EMPTY_FILTERS, mode: [null] }, '')).toBe(true);
  });
});

describe('filterOptions', () => {
  it('lists the distinct values present, N/A last, statuses in declaration order', () => {
    expect(filterOptions(rows)).toEqual({
      rolloutStatuses: ['queuing', 'running', 'succeeded', 'cancelled', 'requeuing'],
      attemptStatuses: ['running', 'succeeded', 'timeout'],
      modes: ['test', 'train', 'val', null],
      resources: ['rs-000000000001', 'rs-2', null],
      workers: ['', 'w-1', 'w-2', null],
    });
  });

  it('is empty for no rows', () => {
    expect(filterOptions([])).toEqual({
      rolloutStatuses: [],
      attemptStatuses: [],
      modes: [],
      resources: [],
      workers: [],
    });
  });
});
