/** The incrementally maintained GET /rollouts body must always equal a fresh serialisation of the store. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLLOUT_CONFIG, type Rollout } from '@agl/schemas';
import { MemoryEngine } from '../../src/storage/memory.js';
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
  it('matches a full rebuild after updates across chunk boundaries and appends, and tags equal bodies equally', () => {
    const engine = new MemoryEngine();
    for (let i = 0; i < 2500; i++) engine.insertRollout(rollout(i));
    const view = new RolloutListView(engine);
    const first = view.read();
    expect(JSON.parse(first.body)).toHaveLength(2500);

    engine.saveRollout(rollout(1500, 'running'));
    view.markDirty(rollout(1500).rollout_id);
    engine.insertRollout(rollout(2500));
    view.markDirty(rollout(2500).rollout_id);
    const second = view.read();
    expect(JSON.parse(second.body)).toEqual(engine.listRollouts().map((r) => r.rollout));
    expect(second.etag).not.toBe(first.etag);

    const rebuilt = new RolloutListView(engine).read();
    expect(rebuilt).toEqual(second);

    engine.saveRollout(rollout(1500));
    view.markDirty(rollout(1500).rollout_id);
    engine.saveRollout(rollout(1500, 'running'));
    expect(view.read().etag).toBe(second.etag); // a dirty row that ends up unchanged keeps the tag
  });
});
