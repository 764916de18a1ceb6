import { describe, expect, it } from 'vitest';
import type { HealthProblem } from '@agl/schemas';
import { connectionToast, deriveConnectionState, problemsOf } from './connectionState';

const watchdog: HealthProblem = {
  source: 'watchdog',
  message: 'database is locked',
  since: 1_761_745_000,
  failures: 3,
};
const degraded = { status: 'degraded' as const, problems: [watchdog] };

describe('connection state', () => {
  it('is connecting before the first answer, connected on ok, degraded on degraded', () => {
    expect(deriveConnectionState({})).toBe('connecting');
    expect(deriveConnectionState({ data: { status: 'ok' } })).toBe('connected');
    expect(deriveConnectionState({ data: degraded })).toBe('degraded');
  });

  it('is unreachable on an error, even while an older answer is still cached', () => {
    const error = { status: 'FETCH_ERROR', message: 'Cannot reach' };
    expect(deriveConnectionState({ error })).toBe('unreachable');
    expect(deriveConnectionState({ data: degraded, error })).toBe('unreachable');
    expect(problemsOf({ data: degraded, error })).toEqual([]);
  });

  it('lists the problems only while degraded, tolerating a degraded answer without any', () => {
    expect(problemsOf({ data: degraded })).toEqual([watchdog]);
    expect(problemsOf({ data: { status: 'ok' } })).toEqual([]);
    expect(problemsOf({ data: { status: 'degraded' } })).toEqual([]);
  });
});

describe('connection toasts', () => {
  const url = 'http://127.0.0.1:4747';

  it('announces turning degraded with what fails, and healthy again', () => {
    expect(connectionToast('connected', 'degraded', url, [watchdog])).toEqual({
      kind: 'warning',
      title: 'Store degraded',
      message: 'watchdog: database is locked',
    });
    expect(connectionToast(null, 'degraded', url, [watchdog])?.title).toBe('Store degraded');
    expect(connectionToast('degraded', 'connected', url, [])).toMatchObject({
      kind: 'success',
      title: 'Store healthy again',
    });
  });

  it('announces losing and regaining the store, and stays quiet otherwise', () => {
    expect(connectionToast('connected', 'unreachable', url, [])?.kind).toBe('error');
    expect(connectionToast('unreachable', 'connected', url, [])?.title).toBe('Store reachable again');
    expect(connectionToast('unreachable', 'degraded', url, [watchdog])?.title).toBe(
      'Store reachable again, but degraded',
    );
    expect(connectionToast(null, 'connected', url, [])).toBeNull();
    expect(connectionToast('degraded', 'degraded', url, [watchdog])).toBeNull();
    expect(connectionToast('connected', 'connecting', url, [])).toBeNull();
  });
});
