/**
 * The storage contract (storage/engine.ts), run against every engine: what `store/` relies on an engine for —
 * ordering, the queue, the latest-attempt copy, due times, idempotent spans, counters, rollback of a failed
 * transaction, announcing changes only once committed — and (for SQLite) that everything survives reopening the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Attempt, ResourcesUpdate, Rollout, Span } from '@agl/schemas';
import { DEFAULT_ROLLOUT_CONFIG } from '@agl/schemas';
import { makeSpan } from '../../../../scripts/lib/spans.mjs';
import type { RolloutRecord, StorageEngine, StorageReader, StorageTx } from '../../src/storage/engine.js';
import { ChangeSet } from '../../src/store/changes.js';
import { MemoryEngine } from '../../src/storage/memory.js';
import { PostgresEngine } from '../../src/storage/postgres/engine.js';
import { SqliteEngine } from '../../src/storage/sqlite.js';
import { freshPostgres } from '../helpers/http.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sqlitePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agl-engine-'));
  dirs.push(dir);
  return join(dir, 'store.db');
}

const databases: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const drop of databases.splice(0)) await drop();
});

async function postgresEngine(): Promise<StorageEngine> {
  const database = await freshPostgres();
  databases.push(database.drop);
  return PostgresEngine.open(database.url);
}

const factories: Array<[string, () => Promise<StorageEngine>]> = [
  ['memory', async () => new MemoryEngine()],
  ['sqlite', async () => new SqliteEngine(sqlitePath())],
  ['postgres', postgresEngine],
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

/** Deterministic (equal for equal arguments), with a key outside the schema that engines must keep. */
const span = (rolloutId: string, attemptId: string, spanId: string, seq: number): Span =>
  makeSpan(rolloutId, attemptId, seq, {
    trace_id: 't'.repeat(32),
    span_id: spanId,
    name: 'step',
    attributes: { k: [1, 2] },
    start_time: 1,
    end_time: 2,
    extra_field: 42,
  });

const snapshot = (id: string, version = 1): ResourcesUpdate => ({
  resources_id: id,
  create_time: 1,
  update_time: 1 + version,
  version,
  resources: { p: { resource_type: 'prompt_template', template: 'Solve {q}', engine: 'f-string' } },
});

/** One write transaction. */
const write = <T>(engine: StorageEngine, fn: (tx: StorageTx) => Promise<T> | T, changes = new ChangeSet()) =>
  engine.write(changes, async (tx) => fn(tx));
/** One read. */
const read = <T>(engine: StorageEngine, fn: (reader: StorageReader) => Promise<T> | T) =>
  engine.read(async (reader) => fn(reader));
const record = (r: Rollout, latest: Attempt | null = null): RolloutRecord => ({ rollout: r, latest });

describe.each(factories)('%s engine', (_name, make) => {
  it('keeps rollouts in creation order with their latest attempt', async () => {
    const engine = await make();
    await write(engine, async (tx) => {
      await tx.insertRollout(record(rollout('ro-b')));
      await tx.insertRollout(record(rollout('ro-a')));
      await tx.insertAttempt(attempt('ro-a', 1));
      await tx.insertAttempt(attempt('ro-a', 2));
      await tx.saveRollout(record(rollout('ro-a'), attempt('ro-a', 2)));
    });
    const rows = await read(engine, (r) => r.listRollouts());
    expect(rows.map((r) => [r.rollout.rollout_id, r.latest?.sequence_id ?? null])).toEqual([
      ['ro-b', null],
      ['ro-a', 2],
    ]);
    const json = await read(engine, (r) => r.listRolloutsJson());
    expect(JSON.parse(json[1]![0])).toEqual(rollout('ro-a'));
    expect(JSON.parse(json[1]![1]!)).toEqual(attempt('ro-a', 2));
    expect(json[0]![1]).toBeNull();
    await engine.close();
  });

  it('lists rollouts by id in creation order, ignoring unknown ids', async () => {
    const engine = await make();
    await write(engine, async (tx) => {
      for (const id of ['ro-a', 'ro-b', 'ro-c']) await tx.insertRollout(record(rollout(id)));
      await tx.saveRollout(record(rollout('ro-c'), attempt('ro-c', 1)));
    });
    const found = await read(engine, (r) => r.listRolloutsByIds(['ro-c', 'ro-x', 'ro-a', 'ro-c']));
    expect(found.map((r) => [r.rollout.rollout_id, r.latest?.sequence_id ?? null])).toEqual([
      ['ro-a', null],
      ['ro-c', 1],
    ]);
    expect(await read(engine, (r) => r.listRolloutsByIds([]))).toEqual([]);
    await engine.close();
  });

  it('keeps attempts by sequence and the rollout’s latest-attempt copy as saved', async () => {
    const engine = await make();
    await write(engine, async (tx) => {
      await tx.insertRollout(record(rollout('ro-a', 'running')));
      await tx.insertAttempt(attempt('ro-a', 1));
      await tx.insertAttempt(attempt('ro-a', 2));
      await tx.saveAttempt({ ...attempt('ro-a', 1), status: 'unresponsive' });
      await tx.saveRollout(record(rollout('ro-a', 'running'), { ...attempt('ro-a', 2), status: 'running' }));
      await tx.saveAttempt({ ...attempt('ro-a', 2), status: 'running' });
    });
    expect((await read(engine, (r) => r.getRollout('ro-a')))!.latest!.status).toBe('running');
    expect((await read(engine, (r) => r.listAttempts('ro-a'))).map((a) => a.status)).toEqual([
      'unresponsive',
      'running',
    ]);
    expect((await read(engine, (r) => r.getAttempt('ro-a', 'at-00000001')))!.status).toBe('unresponsive');
    expect(await read(engine, (r) => r.getAttempt('ro-a', 'at-missing'))).toBeNull();
    await engine.close();
  });

  it('indexes the watchdog due time of active rollouts only', async () => {
    const engine = await make();
    const limited = (id: string, status: Rollout['status']) => ({
      ...rollout(id, status),
      config: { ...DEFAULT_ROLLOUT_CONFIG, retry_condition: [], timeout_seconds: 10 },
    });
    await write(engine, async (tx) => {
      await tx.insertRollout(record(limited('ro-q', 'queuing'))); // no attempt: nothing due
      await tx.insertRollout(record(limited('ro-p', 'preparing'), attempt('ro-p', 1))); // due at 1700000002 + 10
      await tx.insertRollout(record(limited('ro-r', 'running'), attempt('ro-r', 1)));
      await tx.saveRollout(record(limited('ro-r', 'succeeded'), attempt('ro-r', 1))); // terminal: nothing due
      await tx.insertRollout(record(rollout('ro-n', 'running'), attempt('ro-n', 1))); // no limits: nothing due
    });
    expect(await read(engine, (r) => r.nextDueTime())).toBe(1700000012);
    expect(await read(engine, (r) => r.listDueRollouts(1700000012, 10))).toEqual([]);
    expect(await read(engine, (r) => r.listDueRollouts(1700000013, 10))).toEqual(['ro-p']);
    await engine.close();
  });

  it('queues FIFO, at most once, with removal and re-append at the tail', async () => {
    const engine = await make();
    const popped = await write(engine, async (tx) => {
      for (const id of ['a', 'b', 'c']) await tx.enqueue(id);
      await tx.enqueue('a'); // already queued: keeps its place
      await tx.removeFromQueue('b');
      await tx.enqueue('b');
      return [await tx.popQueueHead(), await tx.popQueueHead(), await tx.popQueueHead(), await tx.popQueueHead()];
    });
    expect(popped).toEqual(['a', 'c', 'b', null]);
    await engine.close();
  });

  it('orders resources by most recent write and keeps the latest pointer', async () => {
    const engine = await make();
    expect(await read(engine, (r) => r.getLatestResources())).toBeNull();
    await write(engine, async (tx) => {
      await tx.writeResources(snapshot('A'));
      await tx.writeResources(snapshot('B'));
      await tx.writeResources(snapshot('A', 2));
    });
    expect((await read(engine, (r) => r.listResources())).map((r) => [r.resources_id, r.version])).toEqual([
      ['A', 2],
      ['B', 1],
    ]);
    expect((await read(engine, (r) => r.getLatestResources()))!.resources_id).toBe('A');
    expect(await read(engine, (r) => r.getResources('B'))).toEqual(snapshot('B'));
    expect(await read(engine, (r) => r.getResources('C'))).toBeNull();
    await engine.close();
  });

  it('stores spans once per (rollout, attempt, span id), in arrival order, unknown keys kept', async () => {
    const engine = await make();
    const results = await write(engine, async (tx) => [
      await tx.insertSpan(span('r', 'a1', 's1', 1)),
      await tx.insertSpan(span('r', 'a2', 's1', 2)),
      await tx.insertSpan({ ...span('r', 'a1', 's1', 9), name: 'changed' }),
    ]);
    expect(results.map((r) => r.created)).toEqual([true, true, false]);
    expect(results[2]!.span.name).toBe('step');
    expect((await read(engine, (r) => r.listSpans('r', null))).map((s) => s.attempt_id)).toEqual(['a1', 'a2']);
    expect(await read(engine, (r) => r.listSpans('r', 'a2'))).toEqual([span('r', 'a2', 's1', 2)]);
    expect(await read(engine, (r) => r.listSpans('other', null))).toEqual([]);
    await engine.close();
  });

  it('keeps per-rollout span counters: next starts at 1, raising never lowers', async () => {
    const engine = await make();
    const values = await write(engine, async (tx) => {
      const first = await tx.nextSpanSequenceId('r');
      await tx.raiseSpanSequenceId('r', 5);
      await tx.raiseSpanSequenceId('r', 3);
      return [first, await tx.nextSpanSequenceId('r'), await tx.nextSpanSequenceId('other')];
    });
    expect(values).toEqual([1, 6, 1]);
    await engine.close();
  });

  it('rolls a failed transaction back, keeps its changes unannounced, and goes on', async () => {
    const engine = await make();
    const announced: ChangeSet[] = [];
    engine.onChanges((changes) => announced.push(changes));
    const failing = new ChangeSet();
    failing.resources = true;
    await expect(
      write(
        engine,
        async (tx) => {
          await tx.insertRollout(record(rollout('ro-x')));
          await tx.enqueue('ro-x');
          await tx.writeResources(snapshot('A'));
          await tx.nextSpanSequenceId('ro-x');
          throw new Error('fault');
        },
        failing,
      ),
    ).rejects.toThrow('fault');
    expect(await read(engine, (r) => r.getRollout('ro-x'))).toBeNull();
    expect(await read(engine, (r) => r.getLatestResources())).toBeNull();
    const after = new ChangeSet();
    const [head, next] = await write(
      engine,
      async (tx) => [await tx.popQueueHead(), await tx.nextSpanSequenceId('ro-x')],
      after,
    );
    expect([head, next]).toEqual([null, 1]);
    expect(announced).toEqual([after]);
    await engine.close();
  });

  it('keeps a locked rollout from changing until the transaction ends', async () => {
    const engine = await make();
    await write(engine, (tx) => tx.insertRollout(record(rollout('ro-c'))));
    // Each transaction reads the counter, yields, then writes it back: interleaved, they would lose updates.
    const bump = () =>
      write(engine, async (tx) => {
        const record = (await tx.lockRollout('ro-c'))!;
        await Promise.resolve();
        const count = Number(record.rollout.input) || 0;
        await tx.saveRollout({ rollout: { ...record.rollout, input: count + 1 }, latest: null });
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    expect((await read(engine, (r) => r.getRollout('ro-c')))!.rollout.input).toBe(20);
    await engine.close();
  });
});

describe('sqlite engine across restarts', () => {
  it('reopens the same file with everything in place', async () => {
    const path = sqlitePath();
    const first = new SqliteEngine(path);
    await write(first, async (tx) => {
      await tx.insertRollout(record(rollout('ro-1')));
      await tx.insertRollout(record(rollout('ro-2', 'running')));
      await tx.insertAttempt(attempt('ro-2', 1));
      await tx.saveRollout(record(rollout('ro-2', 'running'), attempt('ro-2', 1)));
      for (const id of ['ro-1', 'x', 'y']) await tx.enqueue(id);
      await tx.popQueueHead();
      await tx.enqueue('ro-1');
      await tx.writeResources(snapshot('A'));
      await tx.writeResources(snapshot('B'));
      await tx.insertSpan(span('ro-2', 'at-00000001', 's', 3));
      await tx.raiseSpanSequenceId('ro-2', 7);
    });
    await first.close();

    const second = new SqliteEngine(path);
    const rows = await read(second, (r) => r.listRollouts());
    expect(rows.map((r) => [r.rollout.rollout_id, r.latest?.attempt_id ?? null])).toEqual([
      ['ro-1', null],
      ['ro-2', 'at-00000001'],
    ]);
    const popped = await write(second, async (tx) => [
      await tx.popQueueHead(),
      await tx.popQueueHead(),
      await tx.popQueueHead(),
    ]);
    expect(popped).toEqual(['x', 'y', 'ro-1']);
    expect((await read(second, (r) => r.getLatestResources()))!.resources_id).toBe('B');
    expect(await read(second, (r) => r.listSpans('ro-2', null))).toEqual([span('ro-2', 'at-00000001', 's', 3)]);
    expect(await write(second, (tx) => tx.nextSpanSequenceId('ro-2'))).toBe(8);
    await second.close();
  });
});
