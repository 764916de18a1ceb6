/**
 * Waterfall geometry: one time axis for the whole attempt, each span's bar as fractions of it, and ruler ticks at
 * "nice" steps (1, 2 or 5 × 10^k seconds) so labels read 0 ms, 500 ms, 1 s … rather than 0.4137 s.
 */
import type { Span } from '@agl/schemas';
import { formatDuration } from '../../../lib/format';

export interface TimeAxis {
  /** Epoch seconds of the earliest span start. */
  start: number;
  /** Epoch seconds of the latest span end (or start, for spans still running). */
  end: number;
  /** `end - start`, never 0 so bar maths cannot divide by zero. */
  length: number;
}

export interface Bar {
  /** Left edge as a fraction (0–1) of the axis. */
  offset: number;
  /** Width as a fraction of the axis; at least `minWidth` so instant spans stay visible. */
  width: number;
  /** The span has a start but no end yet: the bar runs to the end of the axis. */
  open: boolean;
}

export interface Tick {
  /** Seconds since the axis start. */
  seconds: number;
  /** Position as a fraction of the axis. */
  offset: number;
}

/** `null` when no span has a start time (nothing to place). */
export function computeTimeAxis(spans: readonly Span[]): TimeAxis | null {
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const span of spans) {
    if (span.start_time === null) continue;
    if (span.start_time < start) start = span.start_time;
    const last = Math.max(span.start_time, span.end_time ?? span.start_time);
    if (last > end) end = last;
  }
  if (!Number.isFinite(start)) return null;
  return { start, end, length: Math.max(end - start, 1e-6) };
}

export function spanDuration(span: Span): number | null {
  if (span.start_time === null || span.end_time === null) return null;
  return Math.max(0, span.end_time - span.start_time);
}

export function barLayout(span: Span, axis: TimeAxis, minWidth = 0.002): Bar | null {
  if (span.start_time === null) return null;
  const open = span.end_time === null;
  const end = open ? axis.end : Math.max(span.end_time!, span.start_time);
  const offset = clamp01((span.start_time - axis.start) / axis.length);
  const width = Math.max(clamp01((end - span.start_time) / axis.length), minWidth);
  // Keep a minimum-width bar at the far right inside the track.
  return { offset: Math.min(offset, 1 - width), width, open };
}

/** Ticks from 0 to the axis end, roughly `target` of them, always including 0. */
export function rulerTicks(axis: TimeAxis, target = 6): Tick[] {
  const step = niceStep(axis.length / Math.max(1, target));
  const ticks: Tick[] = [];
  for (let i = 0; i * step <= axis.length * (1 + 1e-9); i += 1) {
    const seconds = roundTo(i * step, step);
    ticks.push({ seconds, offset: seconds / axis.length });
  }
  return ticks;
}

export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  // Nearest (not next larger) nice value, so the tick count stays close to the target.
  const nice = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10;
  return nice * power;
}

/** Removes float noise such as 0.30000000000000004 from tick values. */
function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(decimals, 12)));
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/**
 * Tick labels need the step's precision (0.5 s steps would all read "1s" through formatDuration's whole seconds),
 * so sub-second values are milliseconds and the rest keep as many decimals as the step has.
 */
export function formatTick(seconds: number, step: number): string {
  if (seconds === 0) return '0';
  if (step < 1 && seconds < 1) return `${Number((seconds * 1000).toFixed(3))}ms`;
  if (step < 1) return `${Number(seconds.toFixed(3))}s`;
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Number((seconds % 60).toFixed(3));
  return rest === 0 ? `${minutes}m` : `${minutes}m ${rest}s`;
}

/**
 * A span's duration label: the shared formatDuration (milliseconds below a second, `1m 5s` above a minute), but
 * with two decimals between 1 and 60 s, where whole seconds would hide the differences between LLM calls.
 */
export function formatSpanDuration(raw: number | null): string {
  // Differences of epoch-second floats carry noise (11.7 - 11.25 → 0.44999…); round to microseconds first so a
  // 450 ms span does not read 449ms.
  const seconds = raw === null ? null : Math.round(raw * 1e6) / 1e6;
  // A 0.4 ms reward span is not instantaneous; `0ms` would read as if it took no time at all.
  if (seconds !== null && seconds > 0 && seconds < 0.001) return '<1ms';
  if (seconds !== null && seconds >= 1 && seconds < 60) return `${seconds.toFixed(2)}s`;
  return formatDuration(seconds);
}
