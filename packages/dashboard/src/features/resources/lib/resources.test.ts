import { describe, expect, it } from 'vitest';
import type { ResourcesUpdate } from '@agl/schemas';
import { resourceSnapshots } from '../fixtures';
import { maskApiKey, resourceView, resourceViews } from './namedResources';
import { searchSnapshots, snapshotRows } from './resourcesList';

describe('snapshot list', () => {
  it('orders newest write first, flags only the first as latest and counts resources', () => {
    const rows = snapshotRows([...resourceSnapshots()].reverse());
    expect(rows.map((r) => [r.snapshot.resources_id, r.latest, r.resourceCount])).toEqual([
      ['rs-9c1d2e3f4a5b', true, 3],
      ['rs-7a8b9c0d1e2f', false, 2],
      ['rs-1f2e3d4c5b6a', false, 0],
    ]);
  });

  it('keeps the input order on equal times (the server sends later writes first)', () => {
    const [a, b] = resourceSnapshots();
    const tie: ResourcesUpdate[] = [
      { ...a!, update_time: 5 },
      { ...b!, update_time: 5 },
    ];
    expect(snapshotRows(tie).map((r) => r.snapshot.resources_id)).toEqual([a!.resources_id, b!.resources_id]);
  });

  it('searches by id, case-insensitively', () => {
    const rows = snapshotRows(resourceSnapshots());
    expect(searchSnapshots(rows, '7A8B').map((r) => r.snapshot.resources_id)).toEqual(['rs-7a8b9c0d1e2f']);
    expect(searchSnapshots(rows, '')).toHaveLength(3);
    expect(searchSnapshots(rows, 'nope')).toEqual([]);
  });
});

describe('named resources', () => {
  const latest = resourceSnapshots()[0]!;

  it('describes llm and proxy_llm resources with sampling parameters as text', () => {
    const views = resourceViews(latest.resources);
    expect(views.map((v) => v.name)).toEqual(['main_llm', 'proxy', 'system_prompt']);
    expect(views[0]).toEqual({
      kind: 'llm',
      name: 'main_llm',
      resourceType: 'llm',
      endpoint: 'http://localhost:8000/v1',
      model: 'Qwen/Qwen2.5-1.5B-Instruct',
      apiKey: 'sk-test-4f9a8b7c6d5e4f3a2b1c',
      sampling: [
        ['temperature', '0.7'],
        ['top_p', '0.9'],
        ['stop', '["</answer>"]'],
      ],
    });
    expect(views[1]).toMatchObject({ kind: 'llm', resourceType: 'proxy_llm', apiKey: null, sampling: [] });
  });

  it('describes prompt templates with engine and text, and unknown types as JSON', () => {
    expect(resourceViews(latest.resources)[2]).toMatchObject({ kind: 'prompt_template', engine: 'jinja' });
    const unknown = resourceView('x', { resource_type: 'dataset', path: '/d' } as never);
    expect(unknown).toMatchObject({ kind: 'unknown', resourceType: 'dataset' });
    expect(resourceViews(null)).toEqual([]);
  });

  it('masks keys without leaking their length', () => {
    expect(maskApiKey('sk-test-4f9a8b7c6d5e4f3a2b1c')).toBe('••••••••2b1c');
    expect(maskApiKey('sk-' + 'x'.repeat(60) + 'abcd')).toBe('••••••••abcd');
    expect(maskApiKey('short')).toBe('••••••••');
    expect(maskApiKey('')).toBe('••••••••');
  });
});
