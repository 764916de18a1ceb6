/**
 * The v0.3 queries in SQL answer exactly as the reference rules (storage/queries.ts, which the memory engine runs):
 * the same data in both engines, then every sort key in both orders, with nulls, ties, mixed-case and non-ASCII
 * strings, filters combined by `and`/`or`, and pages cut at an offset — item for item and total for total.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ROLLOUT_CONFIG,
  RESOURCES_SORT_KEYS,
  ROLLOUT_SORT_KEYS,
  SPAN_SORT_KEYS,
  WORKER_SORT_KEYS,
  type Attempt,
  type ResourcesUpdate,
  type Rollout,
  type Span,
  type Worker,
} from '@agl/schemas';
import type { StorageEngine } from '../../src/storage/engine.js';
import { MemoryEngine } from '../../src/storage/memory.js';
import { PostgresEngine } from '../../src/storage/postgres/engine.js';
import { ChangeSet } from '../../src/store/changes.js';
import { freshPostgres } from '../helpers/http.js';

const memory = new MemoryEngine();
let postgres: PostgresEngine;
let drop: () => Promise<void>;

/** A small value generator with repeats (ties) and nulls, the same on every run. */
const pick = <T>(values: T[], i: number): T => values[(i * 7 + 3) % values.length]!;
const strings = ['b', 'B', 'a', 'ä', '', 'ab', 'Zebra', '10', '9'];
const times = [null, 1700000000, 1700000000.5, 1700000001, 1700000000];
const STATUSES: Rollout['status'][] = ['queuing', 'running', 'succeeded', 'failed', 'preparing', 'requeuing'];

function rollout(i: number): Rollout {
  return {
    rollout_id: `ro-${pick(['x', 'y', 'xa', 'Xb'], i)}${String(i).padStart(3, '0')}`,
    input: { i },
    start_time: pick([1700000000, 1700000002, 1700000001], i),
    end_time: pick(times, i + 1),
    mode: pick([null, 'train', 'val', 'test'], i),
    resources_id: pick([null, ...strings], i),
    status: pick(STATUSES, i),
    config: { ...DEFAULT_ROLLOUT_CONFIG, retry_condition: [] },
    metadata: {},
  };
}

function attempt(i: number, rolloutId: string): Attempt | null {
  if (i % 4 === 0) return null;
  return {
    rollout_id: rolloutId,
    attempt_id: `at-${pick(strings, i + 2)}${i}`,
    sequence_id: 1,
    start_time: pick([1700000000, 1700000003], i),
    end_time: pick(times, i + 2),
    status: 'running',
    worker_id: pick([null, 'w-b', 'w-a', 'W'], i),
    last_heartbeat_time: pick(times, i + 3),
    metadata: null,
  };
}

function span(i: number): Span {
  return {
    rollout_id: 'ro-spans',
    attempt_id: pick(['at-1', 'at-2'], i),
    sequence_id: pick([3, 1, 2, 2], i),
    trace_id: pick(strings, i),
    span_id: `s${i}`,
    parent_id: pick([null, 's1', 'S2', ''], i),
    name: pick(['llm', 'tool', 'Llm', 'reward', 'é'], i),
    status: { status_code: pick(['OK', 'ERROR', 'UNSET'], i), description: null },
    attributes: {},
    events: [],
    links: [],
    start_time: pick([1, 2, 3], i),
    end_time: pick([null, 4, 2.5], i),
    context: null,
    parent: null,
    resource: { attributes: {}, schema_url: '' },
  } as Span;
}

function worker(i: number): Worker {
  return {
    worker_id: `w-${pick(strings, i)}${i}`,
    status: pick(['idle', 'busy', 'unknown'] as const, i),
    heartbeat_stats: null,
    last_heartbeat_time: pick(times, i),
    last_dequeue_time: pick(times, i + 1),
    last_busy_time: pick(times, i + 2),
    last_idle_time: pick(times, i + 3),
    current_rollout_id: pick([null, ...strings], i),
    current_attempt_id: pick([null, 'at-1', 'at-2'], i),
  };
}

function snapshot(i: number): ResourcesUpdate {
  return {
    resources_id: `rs-${pick(strings, i)}${i}`,
    create_time: pick([1, 2, 2, 3], i),
    update_time: pick([5, 4, 5], i),
    version: pick([1, 2, 1, 3], i),
    resources: {},
  };
}

async function fill(engine: StorageEngine): Promise<void> {
  await engine.write(new ChangeSet(), async (tx) => {
    for (let i = 0; i < 40; i++) {
      const r = rollout(i);
      await tx.insertRollout({ rollout: r, latest: attempt(i, r.rollout_id) });
      await tx.saveWorker(worker(i));
      await tx.writeResources(snapshot(i));
    }
    await tx.insertRollout({ rollout: rollout(99), latest: null });
    for (let i = 0; i < 30; i++) await tx.insertSpan({ ...span(i), rollout_id: rollout(99).rollout_id });
  });
}

beforeAll(async () => {
  const database = await freshPostgres();
  drop = database.drop;
  postgres = await PostgresEngine.open(database.url);
  await fill(memory);
  await fill(postgres);
});
afterAll(async () => {
  await postgres?.close();
  await drop?.();
});

const pages = [
  { limit: -1, offset: 0 },
  { limit: 7, offset: 5 },
];
const orders = ['asc', 'desc'] as const;

/** Runs `query` on both engines and compares the ids and totals. */
async function same<T>(
  run: (engine: StorageEngine) => Promise<{ items: T[]; total: number }>,
  id: (item: T) => string,
) {
  const [expected, actual] = [await run(memory), await run(postgres)];
  expect(actual.total).toBe(expected.total);
  expect(actual.items.map(id)).toEqual(expected.items.map(id));
}

describe('v0.3 queries on PostgreSQL answer as the reference rules', () => {
  it('rollouts: every sort key, both orders, filters and pages', async () => {
    const filters = [
      { filter_logic: 'and' as const, status_in: null, rollout_id_in: null, rollout_id_contains: null, mode_in: null },
      {
        filter_logic: 'and' as const,
        status_in: ['running' as const, 'failed' as const],
        rollout_id_in: null,
        rollout_id_contains: 'x',
        mode_in: null,
      },
      {
        filter_logic: 'or' as const,
        status_in: [],
        rollout_id_in: [rollout(3).rollout_id, 'ro-none'],
        rollout_id_contains: null,
        mode_in: ['val' as const],
      },
    ];
    for (const sort_by of [null, ...ROLLOUT_SORT_KEYS])
      for (const sort_order of orders)
        for (const filter of filters)
          for (const page of pages) {
            const query = { ...filter, ...page, sort_by, sort_order };
            await same(
              (e) => e.read(async (r) => r.queryRollouts(query)),
              (item) => item.rollout.rollout_id,
            );
          }
  });

  it('spans: every sort key, both orders, attempt scope, filters and pages', async () => {
    const none = {
      trace_id: null,
      trace_id_contains: null,
      span_id: null,
      span_id_contains: null,
      parent_id: null,
      parent_id_contains: null,
      name: null,
      name_contains: null,
    };
    const filters = [
      { ...none, filter_logic: 'and' as const, attempt_id: null },
      { ...none, filter_logic: 'and' as const, attempt_id: 'at-1', name_contains: 'l', parent_id_contains: '' },
      { ...none, filter_logic: 'or' as const, attempt_id: null, parent_id: 's1', trace_id: 'B', name: 'é' },
    ];
    for (const sort_by of [null, ...SPAN_SORT_KEYS])
      for (const sort_order of orders)
        for (const filter of filters)
          for (const page of pages) {
            const query = { ...filter, ...page, sort_by, sort_order, rollout_id: rollout(99).rollout_id };
            await same(
              (e) => e.read(async (r) => r.querySpans(query)),
              (item) => item.span_id,
            );
          }
  });

  it('workers and resources: every sort key, both orders, filters and pages', async () => {
    for (const sort_order of orders)
      for (const page of pages) {
        for (const sort_by of [null, ...WORKER_SORT_KEYS])
          for (const filter of [
            { filter_logic: 'and' as const, status_in: null, worker_id_contains: null },
            { filter_logic: 'or' as const, status_in: ['idle' as const], worker_id_contains: 'a' },
          ]) {
            const query = { ...filter, ...page, sort_by, sort_order };
            await same(
              (e) => e.read(async (r) => r.queryWorkers(query)),
              (item) => item.worker_id,
            );
          }
        for (const sort_by of [null, ...RESOURCES_SORT_KEYS])
          for (const filter of [
            { resources_id: null, resources_id_contains: null },
            { resources_id: null, resources_id_contains: 'b' },
            { resources_id: snapshot(2).resources_id, resources_id_contains: 'x' },
          ]) {
            const query = { ...filter, ...page, sort_by, sort_order };
            await same(
              (e) => e.read(async (r) => r.queryResources(query)),
              (item) => item.resources_id,
            );
          }
      }
  });
});
