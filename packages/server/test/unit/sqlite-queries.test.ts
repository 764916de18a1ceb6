/**
 * The SQLite engine's indexed v0.3 queries answer exactly as the memory engine's plain rules (storage/queries.ts):
 * random stores — every status and mode, nulls, "" beside null, duplicate sort values, spans, workers, resources —
 * are written to both engines, and many random queries must give identical pages and totals. SQLite runs three
 * times: with its real plan thresholds, with every filter walked in index order (no candidate sorting), and in between,
 * so each way of finding a page is compared on a store this small.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ATTEMPT_SORT_KEYS,
  RESOURCES_SORT_KEYS,
  ROLLOUT_MODES,
  ROLLOUT_SORT_KEYS,
  ROLLOUT_STATUSES,
  SPAN_SORT_KEYS,
  WORKER_SORT_KEYS,
  WORKER_STATUSES,
} from '@agl/schemas';
import type { StorageEngine, StorageReader, StorageTx } from '../../src/storage/engine.js';
import { MemoryEngine } from '../../src/storage/memory.js';
import { MIGRATIONS } from '../../src/storage/migrations.js';
import { SqliteEngine } from '../../src/storage/sqlite.js';
import { ChangeSet } from '../../src/store/changes.js';
import { randomStore, type Random, seeded } from '../helpers/random-store.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function sqlite(candidateLimit?: number): SqliteEngine {
  const dir = mkdtempSync(join(tmpdir(), 'agl-queries-'));
  dirs.push(dir);
  return new SqliteEngine(join(dir, 'store.db'), { candidateLimit });
}

const QUERIES_PER_STORE = 400;

async function replay(engine: StorageEngine, writes: ReadonlyArray<(tx: StorageTx) => unknown>): Promise<void> {
  for (const write of writes) await engine.write(new ChangeSet(), async (tx) => write(tx));
  // A transaction that fails halfway leaves nothing behind — the counts kept beside the rows included.
  await engine
    .write(new ChangeSet(), async (tx) => {
      const record = await tx.getRollout((await tx.listRollouts())[0]!.rollout.rollout_id);
      await tx.saveRollout({ ...record!, rollout: { ...record!.rollout, status: 'cancelled', mode: 'test' } });
      throw new Error('rolled back');
    })
    .catch(() => undefined);
}

const paging = <K extends string>(r: Random, keys: readonly K[], size: number) => ({
  sort_by: r.chance(0.15) ? null : r.pick(keys),
  sort_order: r.pick(['asc', 'desc'] as const),
  limit: r.pick([-1, 1, 3, 10, 100]),
  offset: r.pick([0, 0, 1, 2, 7, Math.floor(size / 2), size - 3, size + 5].map((n) => Math.max(0, n))),
  filter_logic: r.pick(['and', 'or'] as const),
});

const subset = <T>(r: Random, values: readonly T[]): T[] | null =>
  r.chance(0.5) ? null : values.filter(() => r.chance(0.35));

/** A substring of one of `values` (sometimes a miss, sometimes empty), or null. */
function needle(r: Random, values: string[]): string | null {
  if (r.chance(0.55) || values.length === 0) return null;
  if (r.chance(0.1)) return r.pick(['', 'zz"q', 'É', '-']);
  const value = r.pick(values);
  const start = r.int(value.length);
  return value.slice(start, start + 1 + r.int(6));
}

describe.each([
  ['real thresholds', undefined],
  ['walking indexes only', 0],
  ['small candidate sets', 40],
])('SQLite queries (%s) equal the memory engine', (_name, candidateLimit) => {
  for (const seed of [1, 2, 3]) {
    it(`on random store #${seed}`, async () => {
      const r = seeded(seed * 7919 + (candidateLimit ?? 1));
      const store = randomStore(r, 300);
      const memory = new MemoryEngine();
      const lite = sqlite(candidateLimit);
      const both = async <T>(label: unknown, fn: (reader: StorageReader) => T | Promise<T>) => {
        const expected = await memory.read(async (reader) => fn(reader));
        const actual = await lite.read(async (reader) => fn(reader));
        expect(JSON.stringify(actual), JSON.stringify(label)).toBe(JSON.stringify(expected));
      };
      // Queried halfway too: the second half changes rollouts whose sort keys were already written.
      const half = Math.floor(store.writes.length / 2);
      for (const [part, queries] of [
        [store.writes.slice(0, half), QUERIES_PER_STORE / 4],
        [store.writes.slice(half), QUERIES_PER_STORE],
      ] as const) {
        await replay(memory, part);
        await replay(lite, part);
        for (let i = 0; i < queries; i++) {
          const rollouts = {
            ...paging(r, ROLLOUT_SORT_KEYS, store.rolloutIds.length),
            status_in: subset(r, ROLLOUT_STATUSES),
            mode_in: subset(r, ROLLOUT_MODES),
            rollout_id_in: r.chance(0.8) ? null : [...store.rolloutIds.filter(() => r.chance(0.05)), 'ro-missing'],
            rollout_id_contains: needle(r, store.rolloutIds),
          };
          await both(rollouts, (reader) => reader.queryRollouts(rollouts));
        }
      }
      for (let i = 0; i < QUERIES_PER_STORE / 4; i++) {
        const rolloutId = r.pick(store.rolloutIds);
        const request = paging(r, ATTEMPT_SORT_KEYS, 3);
        const attempts = {
          sortBy: request.sort_by,
          sortOrder: request.sort_order,
          limit: request.limit,
          offset: r.pick([0, 1, 2]),
        };
        await both([rolloutId, attempts], (reader) => reader.queryAttempts(rolloutId, attempts));
      }
      for (let i = 0; i < QUERIES_PER_STORE; i++) {
        const rolloutId = r.pick(store.spanRollouts);
        const text = (values: string[]) => (r.chance(0.8) ? null : r.pick([...values, 'none']));
        const spans = {
          ...paging(r, SPAN_SORT_KEYS, 8),
          rollout_id: rolloutId,
          attempt_id: r.chance(0.5) ? null : r.pick([...store.attemptIds(rolloutId), 'at-missing']),
          trace_id: text(store.spanValues.trace_id),
          trace_id_contains: needle(r, store.spanValues.trace_id),
          span_id: text(store.spanValues.span_id),
          span_id_contains: needle(r, store.spanValues.span_id),
          parent_id: text(store.spanValues.parent_id),
          parent_id_contains: needle(r, store.spanValues.parent_id),
          name: text(store.spanValues.name),
          name_contains: needle(r, store.spanValues.name),
        };
        await both(spans, (reader) => reader.querySpans(spans));
      }
      for (let i = 0; i < QUERIES_PER_STORE / 4; i++) {
        const { filter_logic: _logic, ...resourcesPaging } = paging(r, RESOURCES_SORT_KEYS, 10);
        const resources = {
          ...resourcesPaging,
          resources_id: r.chance(0.8) ? null : r.pick([...store.resourcesIds, 'rs-none']),
          resources_id_contains: needle(r, store.resourcesIds),
        };
        await both(resources, (reader) => reader.queryResources(resources));
        const workers = {
          ...paging(r, WORKER_SORT_KEYS, 20),
          status_in: subset(r, WORKER_STATUSES),
          worker_id_contains: needle(r, store.workerIds),
        };
        await both(workers, (reader) => reader.queryWorkers(workers));
      }
      await both('counts', (reader) => reader.counts());
      await memory.close();
      await lite.close();
    });
  }
});

describe('a store written before the v0.3 columns existed (schema 4)', () => {
  it('is backfilled on open: its queries equal the memory engine with the same rows', async () => {
    const r = seeded(4242);
    const store = randomStore(r, 200);
    const memory = new MemoryEngine();
    await replay(memory, store.writes);
    const dir = mkdtempSync(join(tmpdir(), 'agl-queries-'));
    dirs.push(dir);
    const path = join(dir, 'old.db');
    const old = new Database(path);
    for (const migration of MIGRATIONS.filter((m) => m.version <= 4)) old.exec(migration.sql);
    old.pragma('user_version = 4');
    const insert = old.prepare(
      'INSERT INTO rollouts (rollout_id, status, doc, latest_seq, latest_doc) VALUES (?, ?, ?, ?, ?)',
    );
    const insertAttempt = old.prepare(
      'INSERT INTO attempts (rollout_id, sequence_id, attempt_id, doc) VALUES (?, ?, ?, ?)',
    );
    for (const { rollout, latest } of await memory.read(async (reader) => reader.listRollouts())) {
      const latestDoc = latest ? JSON.stringify(latest) : null;
      insert.run(rollout.rollout_id, rollout.status, JSON.stringify(rollout), latest?.sequence_id ?? null, latestDoc);
      for (const a of await memory.read(async (reader) => reader.listAttempts(rollout.rollout_id))) {
        insertAttempt.run(a.rollout_id, a.sequence_id, a.attempt_id, JSON.stringify(a));
      }
    }
    old.close();

    const lite = new SqliteEngine(path);
    for (let i = 0; i < QUERIES_PER_STORE; i++) {
      const query = {
        ...paging(r, ROLLOUT_SORT_KEYS, 200),
        status_in: subset(r, ROLLOUT_STATUSES),
        mode_in: subset(r, ROLLOUT_MODES),
        rollout_id_in: null,
        rollout_id_contains: needle(r, store.rolloutIds),
      };
      const expected = await memory.read(async (reader) => reader.queryRollouts(query));
      const actual = await lite.read(async (reader) => reader.queryRollouts(query));
      expect(JSON.stringify(actual), JSON.stringify(query)).toBe(JSON.stringify(expected));
    }
    await lite.close();
  });
});
