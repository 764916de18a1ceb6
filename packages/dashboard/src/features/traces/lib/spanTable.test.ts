import { describe, expect, it } from 'vitest';
import { AGENT_RUN_IDS as ID, agentRunSpans } from '../fixtures';
import { attributeCount, nextSort, searchSpans, sortSpans, spanTablePage } from './spanTable';

const spans = agentRunSpans();

describe('span table', () => {
  it('searches by name, span id or parent id, case-insensitively', () => {
    expect(searchSpans(spans, 'CALCULATOR').map((s) => s.sequence_id)).toEqual([3, 9]);
    expect(searchSpans(spans, ID.orphan).map((s) => s.name)).toEqual(['http.request']);
    expect(searchSpans(spans, 'ffeeddcc').map((s) => s.span_id)).toEqual([ID.orphan]);
    expect(searchSpans(spans, '  ')).toHaveLength(13);
  });

  it('sorts by start time, duration, name and attribute count in both directions', () => {
    const byStart = sortSpans(spans, { column: 'start_time', direction: 'asc' }).map((s) => s.sequence_id);
    expect(byStart.slice(0, 4)).toEqual([1, 2, 10, 3]);
    const byDuration = sortSpans(spans, { column: 'duration', direction: 'desc' });
    expect(byDuration[0]!.span_id).toBe(ID.root);
    expect(byDuration.at(-1)!.span_id).toBe(ID.annotation); // 0.3 ms, shorter than the 0.4 ms reward
    const byName = sortSpans(spans, { column: 'name', direction: 'asc' }).map((s) => s.name);
    expect(byName[0]).toBe('agent.step');
    const byAttrs = sortSpans(spans, { column: 'attributes', direction: 'desc' });
    expect(attributeCount(byAttrs[0]!)).toBeGreaterThanOrEqual(attributeCount(byAttrs[1]!));
  });

  it('keeps empty values last in both directions and breaks ties by sequence id', () => {
    const asc = sortSpans(spans, { column: 'parent_id', direction: 'asc' });
    const desc = sortSpans(spans, { column: 'parent_id', direction: 'desc' });
    expect(asc.at(-1)!.span_id).toBe(ID.root);
    expect(desc.at(-1)!.span_id).toBe(ID.root);
    const status = sortSpans(spans, { column: 'status', direction: 'asc' });
    expect(status[0]!.span_id).toBe(ID.errorTool);
    expect(status.slice(1).map((s) => s.sequence_id)).toEqual([1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('combines search, sort and pagination', () => {
    const page = spanTablePage(spans, {
      query: 'tool',
      sort: { column: 'sequence_id', direction: 'desc' },
      page: 1,
      pageSize: 2,
    });
    expect(page.total).toBe(4);
    expect(page.pageCount).toBe(2);
    expect(page.rows.map((s) => s.sequence_id)).toEqual([13, 9]);
  });

  it('flips direction on the sorted column and starts others ascending', () => {
    expect(nextSort({ column: 'name', direction: 'asc' }, 'name')).toEqual({ column: 'name', direction: 'desc' });
    expect(nextSort({ column: 'name', direction: 'desc' }, 'duration')).toEqual({
      column: 'duration',
      direction: 'asc',
    });
  });
});
