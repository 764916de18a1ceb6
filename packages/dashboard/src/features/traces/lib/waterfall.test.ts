import { describe, expect, it } from 'vitest';
import type { Span } from '@agl/schemas';
import { AGENT_RUN_IDS as ID, agentRunSpans } from '../fixtures';
import {
  barLayout,
  computeTimeAxis,
  formatSpanDuration,
  formatTick,
  niceStep,
  rulerTicks,
  spanDuration,
} from './waterfall';

const spans = agentRunSpans();
const byId = (id: string) => spans.find((s) => s.span_id === id)!;
const T0 = 1761745420.125;

describe('waterfall layout', () => {
  const axis = computeTimeAxis(spans)!;

  it('spans the earliest start to the latest end', () => {
    expect(axis.start).toBeCloseTo(T0, 6);
    expect(axis.end).toBeCloseTo(T0 + 12.4, 6);
    expect(axis.length).toBeCloseTo(12.4, 6);
  });

  it('places bars as fractions of the axis', () => {
    const root = barLayout(byId(ID.root), axis)!;
    expect(root.offset).toBeCloseTo(0, 6);
    expect(root.width).toBeCloseTo(1, 6);
    const search = barLayout(byId(ID.errorTool), axis)!;
    expect(search.offset).toBeCloseTo(3.95 / 12.4, 6);
    expect(search.width).toBeCloseTo(5 / 12.4, 6);
    expect(search.open).toBe(false);
  });

  it('gives instant spans a visible minimum width that stays inside the track', () => {
    const reward = barLayout(byId(ID.reward), axis, 0.01)!;
    expect(reward.width).toBe(0.01);
    const last = barLayout(byId(ID.annotation), axis, 0.01)!;
    expect(last.offset + last.width).toBeLessThanOrEqual(1);
  });

  it('runs a span without an end to the end of the axis, and skips one without a start', () => {
    const running: Span = { ...byId(ID.step), end_time: null };
    const bar = barLayout(running, axis)!;
    expect(bar.open).toBe(true);
    expect(bar.offset + bar.width).toBeCloseTo(1, 6);
    expect(barLayout({ ...running, start_time: null }, axis)).toBeNull();
    expect(spanDuration(running)).toBeNull();
  });

  it('reports sub-second durations exactly', () => {
    expect(spanDuration(byId(ID.tool))).toBeCloseTo(0.012, 6);
    expect(spanDuration(byId(ID.reward))).toBeCloseTo(0.0004, 6);
  });

  it('returns no axis when nothing has a start, and a non-zero length for a single instant', () => {
    expect(computeTimeAxis([])).toBeNull();
    expect(computeTimeAxis(spans.map((s) => ({ ...s, start_time: null })))).toBeNull();
    const instant = computeTimeAxis([{ ...byId(ID.tool), end_time: byId(ID.tool).start_time }])!;
    expect(instant.length).toBeGreaterThan(0);
  });
});

describe('ruler ticks', () => {
  it('uses 1/2/5 steps', () => {
    expect(niceStep(2.07)).toBe(2);
    expect(niceStep(0.3)).toBe(0.2);
    expect(niceStep(4)).toBe(5);
    expect(niceStep(0.0009)).toBe(0.001);
    expect(niceStep(1)).toBe(1);
    expect(niceStep(0)).toBe(1);
  });

  it('labels a 12.4 s attempt every 2 s from 0 to 12', () => {
    const ticks = rulerTicks(computeTimeAxis(spans)!);
    expect(ticks.map((t) => t.seconds)).toEqual([0, 2, 4, 6, 8, 10, 12]);
    expect(ticks.at(-1)!.offset).toBeCloseTo(12 / 12.4, 6);
  });

  it('gives clean millisecond ticks for a short attempt', () => {
    const ticks = rulerTicks({ start: 0, end: 0.3, length: 0.3 }, 6);
    expect(ticks.map((t) => t.seconds)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
  });
});

describe('formatTick', () => {
  it('keeps the precision of the step', () => {
    expect([0, 0.05, 0.1, 0.25].map((s) => formatTick(s, 0.05))).toEqual(['0', '50ms', '100ms', '250ms']);
    expect([0.5, 1, 1.5, 2].map((s) => formatTick(s, 0.5))).toEqual(['500ms', '1s', '1.5s', '2s']);
    expect([2, 10, 60, 90, 120].map((s) => formatTick(s, 10))).toEqual(['2s', '10s', '1m', '1m 30s', '2m']);
  });
});

describe('formatSpanDuration', () => {
  it('never leaves a sub-second span blank and keeps two decimals under a minute', () => {
    expect(formatSpanDuration(0.0004)).toBe('<1ms');
    expect(formatSpanDuration(0)).toBe('0ms');
    expect(formatSpanDuration(0.012)).toBe('12ms');
    expect(formatSpanDuration(2.206)).toBe('2.21s');
    expect(formatSpanDuration(75)).toBe('1m 15s');
    expect(formatSpanDuration(null)).toBe('N/A');
    expect(formatSpanDuration(1761745431.825 - 1761745431.375)).toBe('450ms');
  });
});
