/**
 * Random store contents for comparing engines: the same list of write transactions is replayed on each. Values are
 * drawn from small sets so sort keys tie often, nulls sit beside "" and 0, and case and non-ASCII letters appear in
 * what `*_contains` searches.
 */
import {
  ATTEMPT_STATUSES,
  DEFAULT_ROLLOUT_CONFIG,
  ROLLOUT_STATUSES,
  WORKER_STATUSES,
  type Attempt,
  type Rollout,
  type Span,
  type Worker,
} from '@agl/schemas';
import type { StorageTx } from '../../src/storage/engine.js';

export interface Random {
  int(n: number): number;
  pick<T>(values: readonly T[]): T;
  chance(p: number): boolean;
}

/** A small deterministic generator (mulberry32), so a failing store can be rebuilt from its seed. */
export function seeded(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n) => Math.floor(next() * n),
    pick: (values) => values[Math.floor(next() * values.length)]!,
    chance: (p) => next() < p,
  };
}

export interface RandomStore {
  writes: Array<(tx: StorageTx) => unknown>;
  rolloutIds: string[];
  /** Rollouts that have spans. */
  spanRollouts: string[];
  attemptIds(rolloutId: string): string[];
  spanValues: { trace_id: string[]; span_id: string[]; parent_id: string[]; name: string[] };
  resourcesIds: string[];
  workerIds: string[];
}

const ID_LETTERS = 'abcAB01é"-';

export function randomStore(r: Random, size: number): RandomStore {
  const writes: RandomStore['writes'] = [];
  const attempts = new Map<string, Attempt[]>();
  const ids = new Set<string>();
  while (ids.size < size) ids.add(`ro-${Array.from({ length: 3 + r.int(4) }, () => r.pick([...ID_LETTERS])).join('')}`);
  const rolloutIds = [...ids];

  const newAttempt = (rolloutId: string, sequence: number): Attempt => ({
    rollout_id: rolloutId,
    attempt_id: `at-${r.pick(['a', 'b', 'B'])}${sequence}`,
    sequence_id: sequence,
    start_time: r.pick([1, 2, 3, 3]),
    end_time: r.pick([null, 3, 4, 4.5]),
    status: r.pick(ATTEMPT_STATUSES),
    worker_id: r.pick([null, '', 'w-1', 'w-2', 'W-3']),
    last_heartbeat_time: r.pick([null, 2, 3, 3]),
    metadata: null,
  });
  const newRollout = (rolloutId: string): Rollout => ({
    rollout_id: rolloutId,
    input: { n: r.int(10) },
    start_time: r.pick([1, 2, 2, 1.5, 1e9 + r.int(3)]),
    end_time: r.pick([null, null, 4, 5, 5]),
    mode: r.pick([null, 'train', 'val', 'test'] as const),
    resources_id: r.pick([null, '', 'rs-1', 'rs-2', 'RS-0']),
    status: r.pick(ROLLOUT_STATUSES),
    config: { ...DEFAULT_ROLLOUT_CONFIG, retry_condition: [] },
    metadata: r.chance(0.5) ? {} : null,
  });
  /** New attempts for a rollout, made now (writes are replayed on several engines and must repeat exactly). */
  const moreAttempts = (rolloutId: string, count: number): Attempt[] => {
    const list = attempts.get(rolloutId) ?? [];
    attempts.set(rolloutId, list);
    const added = Array.from({ length: count }, (_, i) => newAttempt(rolloutId, list.length + 1 + i));
    list.push(...added);
    return added;
  };

  for (const id of rolloutIds) {
    const rollout = newRollout(id);
    const added = moreAttempts(id, r.pick([0, 0, 1, 1, 2, 3]));
    writes.push(async (tx) => {
      await tx.insertRollout({ rollout, latest: null });
      for (const attempt of added) await tx.insertAttempt(attempt);
      if (added.length > 0) await tx.saveRollout({ rollout, latest: added.at(-1)! });
    });
  }
  // Later changes: new statuses, ends and attempts move rows between counts and along the sort indexes.
  for (const id of rolloutIds.filter(() => r.chance(0.4))) {
    const changed = { ...newRollout(id), start_time: 2 };
    const added = moreAttempts(id, r.pick([0, 1]));
    const latest = attempts.get(id)!.at(-1) ?? null;
    writes.push(async (tx) => {
      for (const attempt of added) await tx.insertAttempt(attempt);
      await tx.saveRollout({ rollout: changed, latest });
    });
  }

  const spanValues = {
    trace_id: ['t1', 't2', 'T1', 'tÉ'],
    span_id: Array.from({ length: 12 }, (_, i) => `s${i}`),
    parent_id: ['', 's1', 's2'],
    name: ['a', 'b', 'chat', 'Chat', 'é'],
  };
  const spanRollouts = rolloutIds.filter((id) => (attempts.get(id)?.length ?? 0) > 0 && r.chance(0.5));
  for (const id of spanRollouts) {
    const spans = Array.from({ length: 1 + r.int(10) }, (): Span => ({
      rollout_id: id,
      attempt_id: r.pick(attempts.get(id)!).attempt_id,
      sequence_id: r.int(5),
      trace_id: r.pick(spanValues.trace_id),
      span_id: r.pick(spanValues.span_id), // repeats are duplicates: stored once
      parent_id: r.pick([null, ...spanValues.parent_id]),
      name: r.pick(spanValues.name),
      status: { status_code: r.pick(['OK', 'ERROR', 'UNSET']), description: null },
      attributes: {},
      events: [],
      links: [],
      start_time: r.pick([null, 1, 2, 2]),
      end_time: r.pick([null, 2, 3]),
      context: null,
      parent: null,
      resource: { attributes: {}, schema_url: '' },
    }));
    writes.push((tx) => tx.insertSpans(spans));
  }

  const resourcesIds = ['rs-a', 'rs-b', 'RS-c', 'rs-é', ''];
  for (let i = 0; i < 12; i++) {
    const update = {
      resources_id: r.pick(resourcesIds),
      create_time: r.pick([1, 2, 2]),
      update_time: r.pick([2, 3, 3, 4]),
      version: 1 + r.int(3),
      resources: {},
    };
    writes.push((tx) => tx.writeResources(update));
  }

  const workerIds = Array.from({ length: 14 }, (_, i) => r.pick(['w-', 'W-', 'wé-']) + i);
  for (let i = 0; i < 30; i++) {
    const worker: Worker = {
      worker_id: r.pick(workerIds), // repeats update in place
      status: r.pick(WORKER_STATUSES),
      heartbeat_stats: r.chance(0.5) ? { cpu: r.int(4) } : null,
      last_heartbeat_time: r.pick([null, 1, 2, 2]),
      last_dequeue_time: r.pick([null, 1, 3]),
      last_busy_time: r.pick([null, 2, 2]),
      last_idle_time: r.pick([null, 1, 4]),
      current_rollout_id: r.pick([null, '', 'ro-x', 'ro-y']),
      current_attempt_id: r.pick([null, 'at-1']),
    };
    writes.push((tx) => tx.saveWorker(worker));
  }

  return {
    writes,
    rolloutIds,
    spanRollouts,
    attemptIds: (id) => (attempts.get(id) ?? []).map((a) => a.attempt_id),
    spanValues,
    resourcesIds,
    workerIds,
  };
}
