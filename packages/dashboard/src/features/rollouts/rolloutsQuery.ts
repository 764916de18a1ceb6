/**
 * The Rollouts table's client-side pipeline (docs/dashboard.md: paging, sorting, filtering and searching happen in the
 * browser): sort (rolloutSort.ts) → filter + search → page. Each stage is a pure function of the previous stage's
 * output, so the page memoises them separately and a filter change never re-sorts 100,000 rows.
 */
import type { AttemptStatus, RolloutStatus } from '@agl/schemas';
import { ATTEMPT_STATUSES, ROLLOUT_STATUSES } from '@agl/schemas';
import type { RolloutRow } from './rolloutRows';

/** A Status filter value names whose status it is, since rollouts and attempts share status names. */
export type StatusFilterValue = `rollout:${RolloutStatus}` | `attempt:${AttemptStatus}`;

/** Selected values per categorical column; empty = no filter. `null` stands for a missing value (shown as N/A). */
export interface RolloutFilters {
  status: StatusFilterValue[];
  mode: (string | null)[];
  resources: (string | null)[];
  worker: (string | null)[];
}
export const EMPTY_FILTERS: RolloutFilters = { status: [], mode: [], resources: [], worker: [] };

interface StatusSelection {
  rollout: ReadonlySet<string>;
  attempt: ReadonlySet<string>;
}

/** Splits `rollout:x` / `attempt:y` once, so the per-row test is two set lookups without building strings. */
function statusSelection(values: readonly StatusFilterValue[]): StatusSelection | null {
  if (values.length === 0) return null;
  const rollout = new Set<string>();
  const attempt = new Set<string>();
  for (const value of values) {
    const [kind, status] = value.split(':') as [string, string];
    (kind === 'rollout' ? rollout : attempt).add(status);
  }
  return { rollout, attempt };
}

function matchesStatus(row: RolloutRow, selected: StatusSelection): boolean {
  if (selected.rollout.has(row.rollout.status)) return true;
  return row.attempt !== null && selected.attempt.has(row.attempt.status);
}

/**
 * Rows that pass every active filter (values within one filter are alternatives) and whose rollout ID contains the
 * search text (case-insensitive). Keeps the input order.
 */
export function filterRows(rows: readonly RolloutRow[], filters: RolloutFilters, search: string): RolloutRow[] {
  const needle = search.trim().toLowerCase();
  const status = statusSelection(filters.status);
  const mode = filters.mode.length > 0 ? new Set(filters.mode) : null;
  const resources = filters.resources.length > 0 ? new Set(filters.resources) : null;
  const worker = filters.worker.length > 0 ? new Set(filters.worker) : null;
  if (!needle && !status && !mode && !resources && !worker) return rows as RolloutRow[];
  return rows.filter(
    (row) =>
      (!needle || row.searchText.includes(needle)) &&
      (!status || matchesStatus(row, status)) &&
      (!mode || mode.has(row.rollout.mode)) &&
      (!resources || resources.has(row.rollout.resources_id)) &&
      (!worker || worker.has(row.attempt?.worker_id ?? null)),
  );
}

export function hasActiveFilters(filters: RolloutFilters, search: string): boolean {
  return (
    search.trim() !== '' ||
    filters.status.length + filters.mode.length + filters.resources.length + filters.worker.length > 0
  );
}

export interface FilterOptions {
  rolloutStatuses: RolloutStatus[];
  attemptStatuses: AttemptStatus[];
  modes: (string | null)[];
  resources: (string | null)[];
  workers: (string | null)[];
}

/** Sorted distinct values with the missing value (null) last. */
function distinct(values: Set<string | null>): (string | null)[] {
  const present = [...values].filter((v): v is string => v !== null).sort();
  return values.has(null) ? [...present, null] : present;
}

/** The values present in the data, per filterable column; statuses in their declaration order. */
export function filterOptions(rows: readonly RolloutRow[]): FilterOptions {
  const rolloutStatuses = new Set<string>();
  const attemptStatuses = new Set<string>();
  const modes = new Set<string | null>();
  const resources = new Set<string | null>();
  const workers = new Set<string | null>();
  for (const row of rows) {
    rolloutStatuses.add(row.rollout.status);
    if (row.attempt) attemptStatuses.add(row.attempt.status);
    modes.add(row.rollout.mode);
    resources.add(row.rollout.resources_id);
    workers.add(row.attempt?.worker_id ?? null);
  }
  return {
    rolloutStatuses: ROLLOUT_STATUSES.filter((s) => rolloutStatuses.has(s)),
    attemptStatuses: ATTEMPT_STATUSES.filter((s) => attemptStatuses.has(s)),
    modes: distinct(modes),
    resources: distinct(resources),
    workers: distinct(workers),
  };
}
