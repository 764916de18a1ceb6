/**
 * Table rows for the Rollouts page, derived once per data change. Everything the table sorts on is computed here,
 * so sorting, filtering and searching 100,000 rows never formats a value (docs/dashboard.md, "Rollouts").
 */
import type { Attempt, RolloutWithAttempt } from '@agl/schemas';
import { isTerminalRolloutStatus } from '@agl/schemas';
import { formatJsonPreview, formatTimestamp } from '../../lib/format';
import { statusLabel } from '../../lib/status';

/** The Input column's limit (docs/dashboard.md: cut to 35 characters). */
const INPUT_PREVIEW_CHARS = 35;

export interface RolloutRow {
  /** React key and expansion key: the rollout ID for a rollout row, the attempt ID for a nested attempt row. */
  key: string;
  rollout: RolloutWithAttempt;
  /** The rollout ID in lower case, what the search box matches against (computed once, not per keystroke). */
  searchText: string;
  /** The latest attempt on a rollout row, this row's attempt on a nested row; null while the rollout has none. */
  attempt: Attempt | null;
  /** The Status column's text: the composite label on a rollout row, the attempt's status on a nested row. */
  statusLabel: string;
  /** The start time the row displays (the attempt's when there is one) and its text, which is also its sort key. */
  startTime: number;
  startTimeText: string;
  /**
   * The position of `startTimeText` among the distinct displayed start times: sorting by it is sorting by the text
   * shown, at the cost of comparing numbers instead of 19-character strings (5× faster for 100,000 rows).
   */
  startTimeRank: number;
  /** When the row's run ended; null while it is still going, so the duration counts up to now. */
  endTime: number | null;
  running: boolean;
  /** `endTime - startTime`, or the time run so far at derivation time for a running row. */
  durationSeconds: number;
  /** True when earlier attempts exist to show in a nested table (`attempt.sequence_id > 1`). */
  expandable: boolean;
}

/**
 * An attempt is over when it records an end; `timeout`/`unresponsive` never do (docs/protocol.md §5.3), so such an
 * attempt also ends when its rollout ends or when a later attempt replaces it. Without this, an attempt that timed
 * out an hour ago would keep counting up forever.
 */
function attemptEnd(rollout: RolloutWithAttempt, attempt: Attempt, next: Attempt | undefined): number | null {
  if (attempt.end_time !== null) return attempt.end_time;
  if (next) return next.start_time;
  return isTerminalRolloutStatus(rollout.status) ? rollout.end_time : null;
}

interface TimestampCache {
  (epochSeconds: number): string;
  /** Ranks of the texts handed out so far, in display (string) order. */
  ranks(): Map<string, number>;
}

/** Formats each distinct whole second once: bulk-created rollouts share seconds, and Date formatting is the hot spot. */
function makeTimestampCache(): TimestampCache {
  const cache = new Map<number, string>();
  const format = (epochSeconds: number) => {
    const second = Math.floor(epochSeconds);
    let text = cache.get(second);
    if (text === undefined) {
      text = formatTimestamp(second);
      cache.set(second, text);
    }
    return text;
  };
  format.ranks = () => new Map([...new Set(cache.values())].sort().map((text, rank) => [text, rank]));
  return format;
}

/** Fills in `startTimeRank` once every row's start time text is known. */
function rankStartTimes(rows: RolloutRow[], timestamp: TimestampCache): RolloutRow[] {
  const ranks = timestamp.ranks();
  for (const row of rows) row.startTimeRank = ranks.get(row.startTimeText) ?? 0;
  return rows;
}

function makeRow(
  key: string,
  rollout: RolloutWithAttempt,
  attempt: Attempt | null,
  statusLabel: string,
  endTime: number | null,
  nowSeconds: number,
  timestamp: TimestampCache,
): RolloutRow {
  const startTime = attempt ? attempt.start_time : rollout.start_time;
  const running = endTime === null;
  return {
    key,
    rollout,
    searchText: rollout.rollout_id.toLowerCase(),
    attempt,
    statusLabel,
    startTime,
    startTimeText: timestamp(startTime),
    startTimeRank: 0,
    endTime,
    running,
    durationSeconds: Math.max(0, (running ? nowSeconds : endTime) - startTime),
    expandable: attempt !== null && attempt.sequence_id > 1,
  };
}

/** The browser's clock in epoch seconds: the "now" that running durations are counted to when rows are derived. */
export const epochSecondsNow = (): number => Date.now() / 1000;

/** One row per rollout, in the server's order (creation order), which is also the sort's tie-breaker. */
export function buildRolloutRows(rollouts: readonly RolloutWithAttempt[], nowSeconds: number): RolloutRow[] {
  const timestamp = makeTimestampCache();
  const rows = rollouts.map((rollout) => {
    const attempt = rollout.attempt ?? null;
    const endTime = attempt ? attemptEnd(rollout, attempt, undefined) : rollout.end_time;
    return makeRow(
      rollout.rollout_id,
      rollout,
      attempt,
      // `rollout - attempt` when they differ (docs/dashboard.md); nested rows below show only the attempt's status.
      statusLabel(rollout.status, attempt?.status),
      endTime,
      nowSeconds,
      timestamp,
    );
  });
  return rankStartTimes(rows, timestamp);
}

/** Rows of the nested table: every attempt (oldest first, as the server lists them), each with its own status. */
export function buildAttemptRows(
  rollout: RolloutWithAttempt,
  attempts: readonly Attempt[],
  nowSeconds: number,
): RolloutRow[] {
  const timestamp = makeTimestampCache();
  const rows = attempts.map((attempt, i) => {
    const row = makeRow(
      attempt.attempt_id,
      rollout,
      attempt,
      attempt.status,
      attemptEnd(rollout, attempt, attempts[i + 1]),
      nowSeconds,
      timestamp,
    );
    // Nested rows are the expansion itself; they never expand further.
    return { ...row, expandable: false };
  });
  return rankStartTimes(rows, timestamp);
}

const inputPreviews = new WeakMap<RolloutRow, string>();

/**
 * The Input cell's text. Computed on first use and cached: only visible rows need it, except when sorting by Input,
 * which then pays the JSON encoding once per row rather than once per comparison.
 */
export function inputPreview(row: RolloutRow): string {
  let text = inputPreviews.get(row);
  if (text === undefined) {
    text = formatJsonPreview(row.rollout.input, INPUT_PREVIEW_CHARS);
    inputPreviews.set(row, text);
  }
  return text;
}
