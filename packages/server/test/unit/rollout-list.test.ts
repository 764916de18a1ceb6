/** The incrementally maintained GET /rollouts body must always equal a fresh serialisation of the store. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLLOUT_CONFIG, type Rollout } from '@agl/schemas';
import { MemoryEngine } from '../../src/storage/memory.js';
import { ChangeSet } from '../../src/store/changes.js';
import { RolloutListView } from '../../src/store/rollout-list.js';

const rollout = (i: number, status: Rollout['status'] = 'queuing'): Rollout => ({
  rollout_id: `ro-${i.toString(16).padStart(12, '0')}`,
  input: { i },
  start_time: i,
  end_time: null,
  mode: null,
  resources_id: null,
  status,
  config: { ...DEFAULT_ROLLOUT_CONFIG, retry_condition: [] },
  metadata: {},
});

describe('RolloutListView', () => {
  it('matches a full rebuild after updates across chunk boundaries and appends, and tags equal bodies equally', async () => {
    const engine = new MemoryEngine();
    const save = (r: Rollout, insert = false) =>
      engine.write(new ChangeSet(), async (tx) =>
        insert ? tx.insertRollout({ rollout: r, latest: null }) : tx.saveRollout({ rollout: r, latest: null }),
      );
    const reader: ConstructorParameters<typeof RolloutListView>[0] = (fn) => engine.read(fn);
    for (let i = 0; i < 2500; i++) await save(rollout(i), true);
    const view = new RolloutListView(reader);
    const first = await view.body();
    expect(JSON.parse(first.body)).toHaveLength(2500);

    await save(rollout(1500, 'running'));
    view.markDirty(rollout(1500).rollout_id);
    await save(rollout(2500), true);
    view.markDirty(rollout(2500).rollout_id);
    const second = await view.body();
    const all = await engine.read(async (r) => r.listRollouts());
    expect(JSON.parse(second.body)).toEqual(all.map((r) => r.rollout));
    expect(second.etag).not.toBe(first.etag);

    const rebuilt = await new RolloutListView(reader).body();
    expect(rebuilt).toEqual(second);

    await save(rollout(1500));
    view.markDirty(rollout(1500).rollout_id);
    await save(rollout(1500, 'running'));
    expect((await view.body()).etag).toBe(second.etag); // a dirty row that ends up unchanged keeps the tag
  });
});
