/**
 * The storage contract, run against every engine: what `store/` relies on an engine for, and (for SQLite) that
 * everything survives reopening the file — rollouts, attempts, queue order, spans, resources, latest pointer,
 * span counters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Attempt, ResourcesUpdate, Rollout, Span } from '@agl/schemas';
import { DEFAULT_ROLLOUT_CONFIG } from '@agl/schemas';
import type { StorageEngine } from '../../src/storage/engine.js';
import { MemoryEngine } from '../../src/storage/memory.js';
import { SqliteEngine } from '../../src/storage/sqlite.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sqlitePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agl-engine-'));
  dirs.push(dir);
  return join(dir, 'store.db');
}

const factories: Array<[string, () => StorageEngine]> = [
  ['memory', () => new MemoryEngine()],
  ['sqlite', () => new SqliteEngine(sqlitePath())],
];

const rollout = (id: string, status: Rollout['status'] = 'queuing'): Rollout => ({
  rollout_id: id,
  input: { q: id, nested: [1, { ü: 'ünïcode' }] },
  start_time: 1700000000.25,
  end_time: null,
  mode: 'train',
  resources_id: null,
  status,
  config: { ...DEFAULT_ROLLOUT_CONFIG, retry_condition: [] },
  metadata: {},
});

const attempt = (rolloutId: string, seq: number): Attempt => ({
  rollout_id: rolloutId,
  attempt_id: `at-0000000${seq}`,
  sequence_id: seq,
  start_time: 1700000001 + seq,
  end_time: null,
  status: 'preparing',
  worker_id: null,
  last_heartbeat_time: null,
  metadata: null,
});

const span = (rolloutId: string, attemptId: string, spanId: string, seq: number): Span => ({
  rollout_id: rolloutId,
  attempt_id: attemptId,
  sequence_id: seq,
  trace_id: 't'.repeat(32),
  span_id: spanId,
  parent_id: null,
  name: 'step',
  status: { status_code: 'OK', description: null },
  attributes: { k: [1, 2] },
  events: [],
  links: [],
  start_time: 1,
  end_time: 2,
  context: null,
  parent: null,
  resource: { attributes: {}, schema_url: '' },
  extra_field: 42,
});

const snapshot = (id: string, version = 1): ResourcesUpdate => ({
  resources_id: id,
  create_time: 1,
  update_time: 1 + version,
  version,
  resources: { p: { resource_type: 'prompt_template', template: 'Solve {q}', engine: 'f-string' } },
});

describe.each(factories)('%s engine', (_name, make) => {
  it('keeps rollouts in creation order with their latest attempt', () => {
    const engine = make();
    engine.insertRollout(rollout('ro-b'));
    engine.insertRollout(rollout('ro-a'));
    engine.insertAttempt(attempt('ro-a', 1));
    engine.insertAttempt(attempt('ro-a', 2));
    expect(engine.listRollouts().map((r) => [r.rollout.rollout_id, r.latest?.sequence_id ?? null])).toEqual([
      ['ro-b', null],
      ['ro-a', 2],
    ]);
    const json = engine.listRolloutsJson();
    expect(JSON.parse(json[1]![0])).toEqual(rollout('ro-a'));
    expect(JSON.parse(json[1]![1]!)).toEqual(attempt('ro-a', 2));
    expect(json[0]![1]).toBeNull();
    engine.close();
  });

  it('lists rollouts by id in creation order, ignoring unknown ids', () => {
    const engine = make();
    for (const id of ['ro-a', 'ro-b', 'ro-c']) engine.insertRollout(rollout(id));
    engine.insertAttempt(attempt('ro-c', 1));
    const found = engine.listRolloutsByIds(['ro-c', 'ro-x', 'ro-a', 'ro-c']);
    expect(found.map((r) => [r.rollout.rollout_id, r.latest?.sequence_id ?? null])).toEqual([
      ['ro-a', null],
      ['ro-c', 1],
    ]);
    expect(engine.listRolloutsByIds([])).toEqual([]);
    engine.close();
  });

  it('updates the latest attempt copy only when the latest attempt changes', () => {
    const engine = make();
    engine.insertRollout(rollout('ro-a', 'running'));
    engine.insertAttempt(attempt('ro-a', 1));
    engine.insertAttempt(attempt('ro-a', 2));
    engine.saveAttempt({ ...attempt('ro-a', 1), status: 'unresponsive' });
    expect(engine.getRollout('ro-a')!.latest!.status).toBe('preparing');
    engine.saveAttempt({ ...attempt('ro-a', 2), status: 'running' });
    expect(engine.getRollout('ro-a')!.latest!.status).toBe('running');
    expect(engine.listAttempts('ro-a').map((a) => a.status)).toEqual(['unresponsive', 'running']);
    expect(engine.getAttempt('ro-a', 'at-00000001')!.status).toBe('unresponsive');
    expect(engine.getAttempt('ro-a', 'at-missing')).toBeNull();
    engine.close();
  });

  it('tracks active rollouts (preparing/running) for the watchdog', () => {
    const engine = make();
    engine.insertRollout(rollout('ro-q'));
    engine.insertRollout(rollout('ro-p', 'preparing'));
    engine.insertRollout(rollout('ro-r', 'running'));
    engine.saveRollout(rollout('ro-r', 'succeeded'));
    expect(engine.listActiveRollouts().map((r) => r.rollout.rollout_id)).toEqual(['ro-p']);
    engine.close();
  });

  it('queues FIFO, at most once, with removal and re-append at the tail', () => {
    const engine = make();
    for (const id of ['a', 'b', 'c']) engine.enqueue(id);
    engine.enqueue('a'); // already queued: keeps its place
    expect(engine.isQueued('b')).toBe(true);
    engine.dequeueRemove('b');
    expect(engine.isQueued('b')).toBe(false);
    engine.enqueue('b');
    expect([engine.popQueueHead(), engine.popQueueHead(), engine.popQueueHead(), engine.popQueueHead()]).toEqual([
      'a',
      'c',
      'b',
      null,
    ]);
    engine.close();
  });

  it('orders resources by most recent write and keeps the latest pointer', () => {
    const engine = make();
    expect(engine.getLatestResources()).toBeNull();
    engine.writeResources(snapshot('A'));
    engine.writeResources(snapshot('B'));
    engine.writeResources(snapshot('A', 2));
    expect(engine.listResources().map((r) => [r.resources_id, r.version])).toEqual([
      ['A', 2],
      ['B', 1],
    ]);
    expect(engine.getLatestResources()!.resources_id).toBe('A');
    expect(engine.getResources('B')).toEqual(snapshot('B'));
    expect(engine.getResources('C')).toBeNull();
    engine.close();
  });

  it('stores spans once per (rollout, attempt, span id), in arrival order, unknown keys kept', () => {
    const engine = make();
    expect(engine.insertSpan(span('r', 'a1', 's1', 1)).created).toBe(true);
    expect(engine.insertSpan(span('r', 'a2', 's1', 2)).created).toBe(true);
    const duplicate = engine.insertSpan({ ...span('r', 'a1', 's1', 9), name: 'changed' });
    expect(duplicate.created).toBe(false);
    expect(duplicate.span.name).toBe('step');
    expect(engine.listSpans('r', null).map((s) => s.attempt_id)).toEqual(['a1', 'a2']);
    expect(engine.listSpans('r', 'a2')).toEqual([span('r', 'a2', 's1', 2)]);
    expect(engine.listSpans('other', null)).toEqual([]);
    engine.close();
  });

  it('keeps per-rollout span counters starting at 0', () => {
    const engine = make();
    expect(engine.getSpanCounter('r')).toBe(0);
    engine.setSpanCounter('r', 5);
    expect(engine.getSpanCounter('r')).toBe(5);
    expect(engine.getSpanCounter('other')).toBe(0);
    engine.close();
  });

  it('rolls a failed transaction back', () => {
    const engine = make();
    if (engine.name === 'memory') return engine.close(); // memory has no rollback; the store never throws mid-write
    expect(() =>
      engine.transaction(() => {
        engine.insertRollout(rollout('ro-x'));
        throw new Error('fault');
      }),
    ).toThrow('fault');
    expect(engine.getRollout('ro-x')).toBeNull();
    engine.close();
  });
});

describe('sqlite engine across restarts', () => {
  it('reopens the same file with everything in place', () => {
    const path = sqlitePath();
    const first = new SqliteEngine(path);
    first.insertRollout(rollout('ro-1'));
    first.insertRollout(rollout('ro-2', 'running'));
    first.insertAttempt(attempt('ro-2', 1));
    for (const id of ['ro-1', 'x', 'y']) first.enqueue(id);
    first.popQueueHead();
    first.enqueue('ro-1');
    first.writeResources(snapshot('A'));
    first.writeResources(snapshot('B'));
    first.insertSpan(span('ro-2', 'at-00000001', 's', 3));
    first.setSpanCounter('ro-2', 7);
    first.close();

    const second = new SqliteEngine(path);
    expect(second.listRollouts().map((r) => [r.rollout.rollout_id, r.latest?.attempt_id ?? null])).toEqual([
      ['ro-1', null],
      ['ro-2', 'at-00000001'],
    ]);
    expect(second.listActiveRollouts().map((r) => r.rollout.rollout_id)).toEqual(['ro-2']);
    expect([second.popQueueHead(), second.popQueueHead(), second.popQueueHead()]).toEqual(['x', 'y', 'ro-1']);
    expect(second.getLatestResources()!.resources_id).toBe('B');
    expect(second.listSpans('ro-2', null)).toEqual([span('ro-2', 'at-00000001', 's', 3)]);
    expect(second.getSpanCounter('ro-2')).toBe(7);
    second.close();
  });
});
