/** The list-body cache is bounded by entries and by bytes, evicting the least recently used first. */
import { describe, expect, it } from 'vitest';
import { ListCache } from '../../src/http/list-cache.js';

describe('ListCache', () => {
  it('keeps at most maxEntries bodies however many distinct keys are read (reads of unknown ids)', async () => {
    const cache = new ListCache({ maxBytes: 1 << 30, maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) await cache.get(`spans:ro-${i}:*`, '0:0', async () => '[]');
    expect(cache.size).toBe(100);
  });

  it('keeps the total body size under maxBytes, dropping the least recently used', async () => {
    const cache = new ListCache({ maxBytes: 3000, maxEntries: 100 });
    const body = 'x'.repeat(1000);
    await cache.get('a', '1', async () => body);
    await cache.get('b', '1', async () => body);
    await cache.get('a', '1', async () => 'rebuilt'); // a hit: `a` becomes the most recently used
    await cache.get('c', '1', async () => body);
    await cache.get('d', '1', async () => body); // over 3000 bytes: `b` goes first
    expect(cache.size).toBe(3);
    let rebuilt = false;
    await cache.get('b', '1', async () => ((rebuilt = true), body));
    expect(rebuilt).toBe(true);
    expect((await cache.get('a', '1', async () => 'rebuilt')).body.toString()).toBe('rebuilt'); // evicted when b came back
  });

  it('rebuilds when the version moves on and reuses the entry while it does not', async () => {
    const cache = new ListCache();
    let builds = 0;
    const build = async () => (builds++, '[1]');
    await cache.get('k', 'v1', build);
    await cache.get('k', 'v1', build);
    await cache.get('k', 'v2', build);
    expect(builds).toBe(2);
  });
});
