import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDuration,
  formatJsonPreview,
  formatRelative,
  formatTimestamp,
  toJsonText,
  truncate,
} from './format';

/** Epoch seconds of a wall-clock time in the local zone, so the tests hold in any TZ the runner uses. */
const local = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0) =>
  new Date(y, mo - 1, d, h, mi, s, ms).getTime() / 1000;

describe('formatTimestamp', () => {
  it('shows local wall-clock time as YYYY-MM-DD HH:mm:ss', () => {
    expect(formatTimestamp(local(2025, 3, 7, 9, 5, 3))).toBe('2025-03-07 09:05:03');
    expect(formatTimestamp(local(1999, 12, 31, 23, 59, 59))).toBe('1999-12-31 23:59:59');
  });

  it('keeps fractional seconds out unless asked, and never rounds up to the next second', () => {
    const t = local(2025, 10, 29, 13, 43, 37) + 0.9996;
    expect(formatTimestamp(t)).toBe('2025-10-29 13:43:37');
    expect(formatTimestamp(t, { ms: true })).toBe('2025-10-29 13:43:37.999');
    expect(formatTimestamp(local(2025, 1, 2, 3, 4, 5, 7), { ms: true })).toBe('2025-01-02 03:04:05.007');
  });

  it('says N/A for a missing or non-finite time', () => {
    expect(formatTimestamp(null)).toBe('N/A');
    expect(formatTimestamp(undefined)).toBe('N/A');
    expect(formatTimestamp(Number.NaN)).toBe('N/A');
    expect(formatTimestamp(Number.POSITIVE_INFINITY)).toBe('N/A');
  });
});

describe('formatDuration', () => {
  it('formats hours, minutes and seconds like 1h 30m 15s', () => {
    expect(formatDuration(5_415)).toBe('1h 30m 15s');
    expect(formatDuration(59)).toBe('59s');
    expect(formatDuration(60)).toBe('1m 0s');
    expect(formatDuration(3_605)).toBe('1h 0m 5s');
  });

  it('adds days for multi-day durations', () => {
    expect(formatDuration(2 * 86_400 + 3 * 3_600 + 4 * 60 + 5)).toBe('2d 3h 4m 5s');
    expect(formatDuration(86_400)).toBe('1d 0h 0m 0s');
  });

  it('shows sub-second durations as milliseconds, never blank', () => {
    expect(formatDuration(0.35)).toBe('350ms');
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(0.0004)).toBe('0ms');
    expect(formatDuration(0.9999)).toBe('999ms');
    expect(formatDuration(1)).toBe('1s');
  });

  it('drops fractions of a second above one second', () => {
    expect(formatDuration(1.999)).toBe('1s');
    expect(formatDuration(61.5)).toBe('1m 1s');
  });

  it('treats negative durations from clock skew as zero, and null (no end) as N/A', () => {
    expect(formatDuration(-3)).toBe('0ms');
    expect(formatDuration(null)).toBe('N/A');
    expect(formatDuration(Number.NaN)).toBe('N/A');
  });
});

describe('formatRelative', () => {
  const now = 1_761_745_417.5;

  it('says how long ago, like 1h 30m 15s ago', () => {
    expect(formatRelative(now - 5_415, now)).toBe('1h 30m 15s ago');
    expect(formatRelative(now - 3, now)).toBe('3s ago');
    expect(formatRelative(now - 90_061, now)).toBe('1d 1h 1m 1s ago');
  });

  it('reads just now under a second and for a future time from clock skew', () => {
    expect(formatRelative(now - 0.2, now)).toBe('just now');
    expect(formatRelative(now, now)).toBe('just now');
    expect(formatRelative(now + 42, now)).toBe('just now');
  });

  it('says N/A when there is no time', () => {
    expect(formatRelative(null, now)).toBe('N/A');
  });
});

describe('truncate', () => {
  it('leaves short text alone', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('', 5)).toBe('');
  });

  it('cuts long text to max characters including the ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abcdef', 4)).toHaveLength(4);
    expect(truncate('abcdef', 1)).toBe('…');
    expect(truncate('abcdef', 0)).toBe('');
  });

  it('never splits a surrogate pair or an emoji sequence', () => {
    // Each of these is one user-perceived character made of several UTF-16 units.
    const family = '👨‍👩‍👧';
    expect(truncate(`${family}${family}${family}`, 2)).toBe(`${family}…`);
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncate('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301…');
  });

  it('keeps text whose UTF-16 length exceeds max but whose characters fit', () => {
    expect(truncate('😀😀', 2)).toBe('😀😀');
  });
});

describe('formatJsonPreview', () => {
  it('shows strings as JSON strings, with their quotes', () => {
    expect(formatJsonPreview('hello')).toBe('"hello"');
  });

  it('shows numbers, booleans and null as JSON', () => {
    expect(formatJsonPreview(42)).toBe('42');
    expect(formatJsonPreview(1.5e-7)).toBe('1.5e-7');
    expect(formatJsonPreview(true)).toBe('true');
    expect(formatJsonPreview(null)).toBe('null');
  });

  it('cuts nested objects to 35 characters by default', () => {
    const value = { question: 'What is 2 + 2?', answer: 4, meta: { tags: ['math'] } };
    const preview = formatJsonPreview(value);
    expect(preview).toBe('{"question":"What is 2 + 2?","answ…');
    expect([...preview]).toHaveLength(35);
    expect(formatJsonPreview({ a: [1, { b: null }] })).toBe('{"a":[1,{"b":null}]}');
  });

  it('keeps unicode as characters and cuts by characters', () => {
    const preview = formatJsonPreview({ q: '日本語のテキストと絵文字🎉がたくさん入っている長い入力です' });
    expect(preview.startsWith('{"q":"日本語のテキスト')).toBe(true);
    expect([...preview]).toHaveLength(35);
    expect(preview.endsWith('…')).toBe(true);
    expect(formatJsonPreview('🎉', 35)).toBe('"🎉"');
  });

  it('honours a custom limit', () => {
    expect(formatJsonPreview('abcdefghij', 6)).toBe('"abcd…');
  });

  it('never throws on values JSON cannot encode', () => {
    expect(toJsonText(undefined)).toBe('undefined');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(toJsonText(cyclic)).toBe('[object Object]');
  });
});

describe('formatCount', () => {
  it('groups thousands', () => {
    expect(formatCount(12_345)).toBe('12,345');
    expect(formatCount(0)).toBe('0');
  });
});
