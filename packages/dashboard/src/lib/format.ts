/**
 * Display formatting shared by the dashboard's tables (rollouts, traces). Pure functions: every wire time is float
 * epoch seconds (docs/protocol.md §2.2), and every output is plain text that the caller renders as text.
 */

/** The text of a missing value: no time, no attempt, no worker, no mode. */
export const NOT_AVAILABLE = 'N/A';
const ELLIPSIS = '…';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

function isTime(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** `YYYY-MM-DD HH:mm:ss` (or `.SSS` with `ms`) in the browser's local time zone; null → `N/A`. */
export function formatTimestamp(epochSeconds: number | null | undefined, opts: { ms?: boolean } = {}): string {
  if (!isTime(epochSeconds)) return NOT_AVAILABLE;
  // Floor to whole milliseconds first so that 12:00:00.9999 never shows as 12:00:01 in one place and :00 in another.
  const d = new Date(Math.floor(epochSeconds * 1000));
  const text =
    `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  return opts.ms ? `${text}.${pad3(d.getMilliseconds())}` : text;
}

/** Whole seconds as `2d 3h 4m 5s`, starting at the largest non-zero unit and keeping the zeros below it. */
function formatWholeSeconds(totalSeconds: number): string {
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days}d ${hours}h ${minutes}m ${seconds}s`;
  if (hours > 0) return `${hours}h ${minutes}m ${seconds}s`;
  if (minutes > 0) return `${minutes}m ${seconds}s`;
  return `${seconds}s`;
}

/**
 * A duration in seconds as `1h 30m 15s`; under one second as milliseconds (`350ms`, `0ms`), so a fast attempt is
 * never blank. Negative values (clock skew between writers) count as zero; null → `N/A`.
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (!isTime(seconds)) return NOT_AVAILABLE;
  const clamped = Math.max(0, seconds);
  const ms = Math.floor(clamped * 1000);
  if (ms < 1000) return `${ms}ms`;
  return formatWholeSeconds(Math.floor(ms / 1000));
}

/**
 * How long ago `epochSeconds` was, seen at `nowSeconds`: `1h 30m 15s ago`. Less than a second ago, or in the future
 * (the server's clock ahead of the browser's), reads `just now` rather than a negative age.
 */
export function formatRelative(epochSeconds: number | null | undefined, nowSeconds: number): string {
  if (!isTime(epochSeconds)) return NOT_AVAILABLE;
  const age = Math.floor(nowSeconds - epochSeconds);
  if (!(age >= 1)) return 'just now';
  return `${formatWholeSeconds(age)} ago`;
}

// Graphemes, not UTF-16 units, so that an emoji or an accented letter is never cut in half.
const graphemes = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter() : null;

/** At most `max` user-perceived characters; a cut text ends with `…` (counted in `max`). */
export function truncate(text: string, max: number): string {
  // Fast path: a string of at most `max` UTF-16 units cannot hold more than `max` graphemes.
  if (text.length <= max) return text;
  const limit = Math.max(0, Math.floor(max));
  if (limit === 0) return '';
  const parts: string[] = [];
  if (graphemes) {
    for (const { segment } of graphemes.segment(text)) {
      parts.push(segment);
      if (parts.length > limit) break;
    }
  } else {
    for (const codePoint of text) {
      parts.push(codePoint);
      if (parts.length > limit) break;
    }
  }
  if (parts.length <= limit) return text;
  return parts.slice(0, limit - 1).join('') + ELLIPSIS;
}

/** A JSON value as compact JSON text; never throws (a value JSON cannot encode falls back to `String`). */
export function toJsonText(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text;
  } catch {
    return String(value);
  }
}

/** A JSON value as compact JSON, cut to `max` characters: `{"question":"What is 2 + 2?","ans…`. */
export function formatJsonPreview(value: unknown, max = 35): string {
  return truncate(toJsonText(value), max);
}

const integerFormat = new Intl.NumberFormat('en-US');

/** A count with thousands separators: `12,345`. */
export function formatCount(n: number): string {
  return integerFormat.format(n);
}
