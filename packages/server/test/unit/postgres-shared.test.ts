/**
 * What the PostgreSQL engine adds to the storage contract for several servers on one database, checked with two
 * engines on one store: versions that move with the other's writes, the list view's changed-rows cursor, terminal
 * rollouts announced to the other as remote changes, exactly one watchdog, notifications split under PostgreSQL's
 * payload limit, and ids PostgreSQL text cannot hold (NUL) stored and found again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ROLLOUT_CONFIG, type Rollout } from '@agl/schemas';
import { PostgresEngine } from '../../src/storage/postgres/engine.js';
import { decodeNotice, encodeNotices } from '../../src/storage/postgres/publish.js';
import { ChangeSet } from '../../src/store/changes.js';
import { freshPostgres } from '../helpers/http.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function twoEngines(): Promise<[PostgresEngine, PostgresEngine]> {
  const database = await freshPostgres();
  cleanup.push(database.drop);
  const a = await PostgresEngine.open(database.url);
  const b = await PostgresEngine.open(database.url);
  cleanup.push(
    () => a.close(),
    () => b.close(),
  );
  return [a, b];
}

const rollout = (id: string, status: Rollout['status'] = 'queuing'): Rollout => ({
  rollout_id: id,
  input: id,
  start_time: 1,
  end_time: status === 'succeeded' ? 2 : null,
  mode: null,
  resources_id: null,
  status,
  config: { ...DEFAULT_ROLLOUT_CONFIG, retry_condition: [] },
  metadata: {},
});

describe('postgres engines sharing one store', () => {
  it("versions and the changed-rows cursor follow the other engine's writes", async () => {
    const [a, b] = await twoEngines();
    const before = await b.versions.rollouts();
    const cursor = (await b.read(async (r) => r.rolloutsChangedSince!(null))).cursor;
    const changes = new ChangeSet();
    await a.write(changes, async (tx) => {
      await tx.insertRollout({ rollout: rollout('ro-1'), latest: null });
      changes.rollouts.set('ro-1', { rollout: rollout('ro-1'), latest: null });
    });
    expect(await b.versions.rollouts()).not.toBe(before);
    const changed = await b.read(async (r) => r.rolloutsChangedSince!(cursor));
    expect(changed.ids).toEqual(['ro-1']);
    expect((await b.read(async (r) => r.rolloutsChangedSince!(changed.cursor))).ids).toEqual([]);
    expect((await b.read(async (r) => r.counts())).rollouts).toBe(1);
  });

  it('announces rollouts another engine finished as remote changes, re-read from the database', async () => {
    const [a, b] = await twoEngines();
    const heard: Array<{ ids: string[]; local: boolean }> = [];
    b.onChanges((changes, local) => heard.push({ ids: changes.terminal.map((r) => r.rollout_id), local }));
    await a.write(new ChangeSet(), async (tx) => tx.insertRollout({ rollout: rollout('ro-2'), latest: null }));
    const changes = new ChangeSet();
    await a.write(changes, async (tx) => {
      await tx.saveRollout({ rollout: rollout('ro-2', 'succeeded'), latest: null });
      changes.terminal.push(rollout('ro-2', 'succeeded'));
    });
    for (let i = 0; i < 50 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heard).toEqual([{ ids: ['ro-2'], local: false }]);
  });

  it('lets exactly one engine run the watchdog', async () => {
    const [a, b] = await twoEngines();
    expect([a.mayRunWatchdog(), b.mayRunWatchdog()]).toEqual([true, false]);
  });

  it('stores and finds ids that PostgreSQL text cannot hold', async () => {
    const [a] = await twoEngines();
    const odd = 'w\u0000orker\ud800';
    await a.write(new ChangeSet(), async (tx) => {
      await tx.saveWorker({ ...worker(odd) });
      await tx.saveWorker({ ...worker('w') });
    });
    expect((await a.read(async (r) => r.getWorker(odd)))?.worker_id).toBe(odd);
    expect((await a.read(async (r) => r.getWorker('w')))?.worker_id).toBe('w');
  });
});

describe('notification payloads', () => {
  it('split ids over several payloads, each under PostgreSQL’s 8000-byte limit', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `ro-${String(i).padStart(12, '0')}`);
    const payloads = encodeNotices('origin', ids);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    expect(payloads.flatMap((payload) => decodeNotice(payload)!.terminal)).toEqual(ids);
    expect(decodeNotice('not json')).toBeNull();
  });
});

function worker(id: string) {
  return {
    worker_id: id,
    status: 'idle' as const,
    heartbeat_stats: null,
    last_heartbeat_time: null,
    last_dequeue_time: null,
    last_busy_time: null,
    last_idle_time: null,
    current_rollout_id: null,
    current_attempt_id: null,
  };
}
