/**
 * Rollout queries of the SQLite engine (§8.2), answered from indexes at a million rollouts. Every sort key is a
 * column holding its normalised value (columns.ts), so `ORDER BY key, seq` is the memory engine's order.
 *
 * How a page is found (the schema is migration 6):
 * - Totals of status/mode filters add up `rollout_counts` (kept by triggers); other filters are counted.
 * - A sort key is read from its index in order: (key, seq) ascending, (key DESC, seq) descending — ties keep
 *   insertion order both ways. Both carry mode and status, so those filters are checked in the index.
 *   Past the middle of the matches, the page is read from the other end of the same index and reversed, so no read
 *   skips more than half of them.
 * - status and mode have a few values: sorting by them reads group after group (insertion order inside), skipping
 *   whole groups by their counts.
 * - Few matches of an AND filter (a rare status, listed ids, a selective `rollout_id_contains`) are fetched first and
 *   sorted, instead of walking a sort index past everything else. Contains-needles of 3+ characters find their
 *   candidates in a trigram index; every candidate is checked again, so the index only has to over-approximate.
 */
import type { RolloutQuery, RolloutSortKey } from '@agl/schemas';
import type { Checked } from './engine.js';
import { combine, inJson, type SqlCondition, type StatementCache } from './sqlite-queries.js';

/** Filters matching at most this many rollouts fetch and sort them rather than walk a sort index past the rest. */
export const CANDIDATE_LIMIT = 10_000;

type Sort =
  | { kind: 'insertion' }
  | { kind: 'group'; column: 'status' | 'mode'; index: string }
  | { kind: 'unique'; column: string; index: string }
  | { kind: 'column'; column: string; index: string };

/** Index name stems of the sort-key columns (migration 6). */
const KEY_INDEXES: Partial<Record<RolloutSortKey, string>> = {
  start_time: 'start',
  end_time: 'end',
  resources_id: 'resources',
  attempt_id: 'attempt',
  worker_id: 'worker',
  last_heartbeat_time: 'heartbeat',
  duration: 'duration',
};

function sortOf(key: RolloutSortKey | null, descending: boolean): Sort {
  if (key === 'status' || key === 'mode') return { kind: 'group', column: key, index: `rollouts_by_${key}` };
  if (key === 'rollout_id') return { kind: 'unique', column: key, index: 'rollouts_by_id' };
  const stem = key === null ? undefined : KEY_INDEXES[key];
  if (key === null || stem === undefined) return { kind: 'insertion' }; // input, config, metadata: all tie
  return { kind: 'column', column: key, index: `rollouts_${stem}_${descending ? 'desc' : 'asc'}` };
}

/** ORDER BY for a sort, or for its exact reverse (a page read from the far end). */
function orderBy(sort: Sort, descending: boolean, reversed: boolean): string {
  const dir = (desc: boolean) => (desc !== reversed ? 'DESC' : 'ASC');
  switch (sort.kind) {
    case 'insertion':
      return `seq ${dir(false)}`;
    case 'unique':
      return `${sort.column} ${dir(descending)}`;
    case 'group':
    case 'column':
      return `${sort.column} ${dir(descending)}, seq ${dir(false)}`;
  }
}

interface Cell {
  status: string;
  mode: string;
  n: number;
}

export function queryRollouts(
  cache: StatementCache,
  query: Checked<RolloutQuery, RolloutSortKey>,
  candidateLimit: number,
): { seqs: number[]; total: number } {
  const { filter_logic: logic, offset } = query;
  const descending = query.sort_order === 'desc';
  const sort = sortOf(query.sort_by, descending);
  const modes = inJson('mode', 'modes', query.mode_in);
  const ids = inJson('rollout_id', 'ids', query.rollout_id_in);
  const needle = query.rollout_id_contains;
  const contains: SqlCondition =
    needle === null ? undefined : { sql: 'instr(rollout_id, @needle) > 0', params: { needle } };
  // The sort indexes know status as `indexed_status` (equal to `status` once the engine refreshed the keys);
  // rollouts_by_status, which candidates and status groups read, knows `status`.
  const filterOn = (column: string) =>
    combine([inJson(column, 'statuses', query.status_in), ids, contains, modes], logic);
  const filter = filterOn('indexed_status');
  const sent = [query.status_in, query.rollout_id_in, needle, query.mode_in].filter((c) => c !== null).length;
  const narrowing = logic === 'and' || sent <= 1; // every condition must hold

  if (ids === undefined && contains === undefined) {
    const cells = cache.get('SELECT json_group_array(json_array(status, mode, n)) FROM rollout_counts').get() as string;
    const matching = (JSON.parse(cells) as Array<[string, string, number]>)
      .map(([status, mode, n]): Cell => ({ status, mode, n }))
      .filter((cell) => cellMatches(cell, query));
    const total = matching.reduce((sum, cell) => sum + cell.n, 0);
    if (total <= offset) return { seqs: [], total };
    if (sort.kind === 'group') {
      return {
        seqs: groupPage(cache, sort, matching, filterOn(sort.column === 'status' ? 'status' : 'indexed_status'), query),
        total,
      };
    }
    if (sent > 0 && narrowing && total <= candidateLimit) {
      const index = query.status_in !== null ? 'rollouts_by_status' : 'rollouts_by_mode';
      return {
        seqs: sortedCandidates(cache, `SELECT seq FROM rollouts INDEXED BY ${index}`, filterOn('status'), sort, query),
        total,
      };
    }
    return { seqs: orderedScan(cache, sort, filter, total, query), total };
  }

  if (narrowing) {
    // Candidates first (a superset of the matches), each joined to its row and checked against every condition.
    const source = ids
      ? 'SELECT seq FROM rollouts WHERE rollout_id IN (SELECT value FROM json_each(@ids))'
      : trigramSource(cache, needle!, candidateLimit);
    if (source) {
      const candidates = `WITH c(id) AS MATERIALIZED (${source}) SELECT %s FROM c CROSS JOIN rollouts ON seq = c.id`;
      const params = { ...filter.params, phrase: trigramPhrase(needle) };
      const total = cache.get(`${candidates.replace('%s', 'count(*)')} WHERE ${filter.sql}`).get(params) as number;
      if (total <= offset) return { seqs: [], total };
      return {
        seqs: sortedCandidates(cache, candidates.replace('%s', 'seq'), { ...filter, params }, sort, query),
        total,
      };
    }
  }
  // OR with an id/contains condition, or a needle too short or too common for the trigram index: counted.
  const total = cache.get(`SELECT count(*) FROM rollouts WHERE ${filter.sql}`).get(filter.params) as number;
  if (total <= offset) return { seqs: [], total };
  return { seqs: orderedScan(cache, sort, filter, total, query), total };
}

/** Whether a (status, mode) cell matches the status/mode filters under `filter_logic`. */
function cellMatches(cell: Cell, query: Checked<RolloutQuery, RolloutSortKey>): boolean {
  const tests: boolean[] = [];
  if (query.status_in !== null) tests.push((query.status_in as string[]).includes(cell.status));
  if (query.mode_in !== null) tests.push((query.mode_in as string[]).includes(cell.mode));
  if (tests.length === 0) return true;
  return query.filter_logic === 'and' ? tests.every(Boolean) : tests.some(Boolean);
}

/** The needle as an FTS5 phrase: a quoted string matches it as a substring under the trigram tokenizer. */
function trigramPhrase(needle: string | null): string {
  return `"${(needle ?? '').replaceAll('"', '""')}"`;
}

/** Trigram candidates for a needle, or null when the needle is too short or matches too much to sort. */
function trigramSource(cache: StatementCache, needle: string, limit: number): string | null {
  if ([...needle].length < 3) return null; // the trigram index finds nothing shorter
  const hits = cache
    .get(`SELECT count(*) FROM (SELECT 1 FROM rollout_ids WHERE rollout_ids MATCH @phrase LIMIT ${limit + 1})`)
    .get({ phrase: trigramPhrase(needle) }) as number;
  return hits > limit ? null : 'SELECT rowid FROM rollout_ids WHERE rollout_ids MATCH @phrase';
}

type Filter = { sql: string; params: Record<string, string | number> };

/** A page of `source`'s rows that match, sorted. */
function sortedCandidates(
  cache: StatementCache,
  source: string,
  filter: Filter,
  sort: Sort,
  query: Checked<RolloutQuery, RolloutSortKey>,
): number[] {
  const where = filter.sql ? `WHERE ${filter.sql}` : '';
  const sql = `${source} ${where} ORDER BY ${orderBy(sort, query.sort_order === 'desc', false)} LIMIT @limit OFFSET @offset`;
  return cache.get(sql).all({ ...filter.params, limit: query.limit, offset: query.offset }) as number[];
}

/**
 * A page read in order from the sort's index, from whichever end skips fewer matches (the exact reverse of the
 * order is the same index read backwards).
 */
function orderedScan(
  cache: StatementCache,
  sort: Sort,
  filter: Filter,
  total: number,
  query: Checked<RolloutQuery, RolloutSortKey>,
): number[] {
  const { limit, offset } = query;
  const end = limit === -1 ? total : Math.min(total, offset + limit);
  const reversed = total - end < offset;
  const index = sort.kind === 'insertion' ? 'rollouts_by_seq' : sort.index;
  // The key indexes hold rows whose keys were written (all of them, once the engine refreshed them).
  const written =
    sort.kind === 'column' ? `${sort.column} IS NOT NULL` : sort.kind === 'unique' ? 'indexed_status IS NOT NULL' : '';
  const conditions = [written, filter.sql].filter(Boolean);
  const where = conditions.length > 0 ? `WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : '';
  const order = orderBy(sort, query.sort_order === 'desc', reversed);
  const seqs = cache
    .get(`SELECT seq FROM rollouts INDEXED BY ${index} ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
    .all({ ...filter.params, limit: end - offset, offset: reversed ? total - end : offset }) as number[];
  return reversed ? seqs.reverse() : seqs;
}

/**
 * Sorted by status or mode: the matching groups in order, each in insertion order, whole groups skipped by their
 * counts and a group's far half read backwards.
 */
function groupPage(
  cache: StatementCache,
  sort: Sort & { kind: 'group' },
  cells: Cell[],
  filter: Filter,
  query: Checked<RolloutQuery, RolloutSortKey>,
): number[] {
  const sizes = new Map<string, number>();
  for (const cell of cells) sizes.set(cell[sort.column], (sizes.get(cell[sort.column]) ?? 0) + cell.n);
  const groups = [...sizes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)); // ASCII values: any order agrees
  if (query.sort_order === 'desc') groups.reverse();
  const where = `${sort.column} = @group` + (filter.sql ? ` AND (${filter.sql})` : '');
  const seqs: number[] = [];
  let skip = query.offset;
  let wanted = query.limit === -1 ? Infinity : query.limit;
  for (const [group, size] of groups) {
    if (wanted <= 0) break;
    if (skip >= size) {
      skip -= size;
      continue;
    }
    const end = Math.min(size, skip + wanted);
    const reversed = size - end < skip;
    const rows = cache
      .get(
        `SELECT seq FROM rollouts INDEXED BY ${sort.index} WHERE ${where} ORDER BY seq ${reversed ? 'DESC' : 'ASC'} LIMIT @limit OFFSET @offset`,
      )
      .all({ ...filter.params, group, limit: end - skip, offset: reversed ? size - end : skip }) as number[];
    if (reversed) rows.reverse();
    for (const seq of rows) seqs.push(seq);
    wanted -= end - skip;
    skip = 0;
  }
  return seqs;
}
