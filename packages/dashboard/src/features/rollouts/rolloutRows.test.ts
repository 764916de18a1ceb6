import { describe, expect, it } from 'vitest';
import { formatTimestamp } from '../../lib/format';
import { buildAttemptRows, buildRolloutRows, inputPreview } from './rolloutRows';
import { makeAttempt, makeRollout } from './testData';

const NOW = 1_761_750_000;

describe('status label', () => {
  const label = (rollout: ReturnType<typeof makeRollout>) => buildRolloutRows([rollout], NOW)[0]?.statusLabel;

  it('is the rollout status when there is no attempt or both agree', () => {
    expect(label(makeRollout({ status: 'queuing' }))).toBe('queuing');
    expect(label(makeRollout({ status: 'running', attempt: { status: 'running' } }))).toBe('running');
  });

  it('joins both statuses when they differ', () => {
    expect(label(makeRollout({ status: 'requeuing', attempt: { status: 'timeout' } }))).toBe('requeuing - timeout');
    expect(label(makeRollout({ status: 'cancelled', attempt: { status: 'running' } }))).toBe('cancelled - running');
  });
});

describe('buildRolloutRows', () => {
  it('shows a queued rollout with no attempt, timed from the rollout and still counting', () => {
    const [row] = buildRolloutRows([makeRollout({ status: 'queuing', start_time: NOW - 90 })], NOW);
    expect(row).toMatchObject({
      key: 'ro-000000000001',
      attempt: null,
      statusLabel: 'queuing',
      startTime: NOW - 90,
      running: true,
      durationSeconds: 90,
      expandable: false,
    });
    expect(row?.startTimeText).toBe(formatTimestamp(NOW - 90));
  });

  it('times a rollout with an attempt from the attempt, not the rollout', () => {
    const rollout = makeRollout({
      status: 'succeeded',
      start_time: NOW - 1000,
      end_time: NOW - 10,
      attempt: { status: 'succeeded', start_time: NOW - 500, end_time: NOW - 20 },
    });
    const [row] = buildRolloutRows([rollout], NOW);
    expect(row).toMatchObject({ startTime: NOW - 500, endTime: NOW - 20, running: false, durationSeconds: 480 });
  });

  it('counts a running attempt up to now', () => {
    const rollout = makeRollout({ status: 'running', attempt: { status: 'running', start_time: NOW - 65.5 } });
    const [row] = buildRolloutRows([rollout], NOW);
    expect(row).toMatchObject({ running: true, endTime: null, durationSeconds: 65.5 });
  });

  it('ends an attempt that timed out (no end time) when its rollout ended', () => {
    const rollout = makeRollout({
      status: 'failed',
      end_time: NOW - 100,
      attempt: { status: 'timeout', start_time: NOW - 400, end_time: null },
    });
    const [row] = buildRolloutRows([rollout], NOW);
    expect(row).toMatchObject({ statusLabel: 'failed - timeout', running: false, durationSeconds: 300 });
  });

  it('keeps an unresponsive attempt of a requeued rollout counting: it may still recover', () => {
    const rollout = makeRollout({ status: 'requeuing', attempt: { status: 'unresponsive', start_time: NOW - 30 } });
    expect(buildRolloutRows([rollout], NOW)[0]).toMatchObject({ running: true, durationSeconds: 30 });
  });

  it('never reports a negative duration when the server clock is ahead', () => {
    const rollout = makeRollout({ status: 'running', attempt: { status: 'running', start_time: NOW + 5 } });
    expect(buildRolloutRows([rollout], NOW)[0]?.durationSeconds).toBe(0);
  });

  it('is expandable only when earlier attempts exist', () => {
    const rows = buildRolloutRows(
      [
        makeRollout({ rollout_id: 'ro-a', attempt: { sequence_id: 1 } }),
        makeRollout({ rollout_id: 'ro-b', attempt: { sequence_id: 3 } }),
        makeRollout({ rollout_id: 'ro-c' }),
      ],
      NOW,
    );
    expect(rows.map((r) => r.expandable)).toEqual([false, true, false]);
  });

  it('ranks start times in the order of their displayed text, equal within one second', () => {
    const rows = buildRolloutRows(
      [NOW + 30, NOW + 0.2, NOW - 3_600, NOW + 0.9].map((start, i) =>
        makeRollout({ rollout_id: `ro-${i}`, start_time: start }),
      ),
      NOW,
    );
    expect(rows.map((r) => r.startTimeRank)).toEqual([2, 1, 0, 1]);
    const byText = [...rows].sort((a, b) => (a.startTimeText < b.startTimeText ? -1 : 1));
    expect(byText.map((r) => r.startTimeRank)).toEqual([0, 1, 1, 2]);
  });

  it('formats the input lazily, cut to 35 characters', () => {
    const [row] = buildRolloutRows([makeRollout({ input: { prompt: 'x'.repeat(100) } })], NOW);
    expect(row && inputPreview(row)).toBe(`{"prompt":"${'x'.repeat(23)}…`);
  });
});

describe('buildAttemptRows', () => {
  const rollout = makeRollout({ rollout_id: 'ro-r', status: 'running', attempt: { sequence_id: 3 } });
  const attempts = [
    makeAttempt({ rollout_id: 'ro-r', attempt_id: 'at-1', sequence_id: 1, status: 'failed', start_time: NOW - 300 }),
    makeAttempt({ rollout_id: 'ro-r', attempt_id: 'at-2', sequence_id: 2, status: 'timeout', start_time: NOW - 200 }),
    makeAttempt({ rollout_id: 'ro-r', attempt_id: 'at-3', sequence_id: 3, status: 'running', start_time: NOW - 50 }),
  ];
  attempts[0]!.end_time = NOW - 250;

  it('shows each attempt with its own status and start time', () => {
    const rows = buildAttemptRows(rollout, attempts, NOW);
    expect(rows.map((r) => [r.key, r.statusLabel, r.startTime])).toEqual([
      ['at-1', 'failed', NOW - 300],
      ['at-2', 'timeout', NOW - 200],
      ['at-3', 'running', NOW - 50],
    ]);
    expect(rows.every((r) => !r.expandable)).toBe(true);
  });

  it('ends a superseded attempt without an end time when the next one started', () => {
    const rows = buildAttemptRows(rollout, attempts, NOW);
    expect(rows.map((r) => [r.running, r.durationSeconds])).toEqual([
      [false, 50],
      [false, 150],
      [true, 50],
    ]);
  });
});
