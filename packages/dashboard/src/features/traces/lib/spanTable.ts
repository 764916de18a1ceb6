/** Table view rows: search by name or id, sort by any column, then one page, in the browser (docs/dashboard.md). */
import type { Span } from '@agl/schemas';
import { paginate, type Page } from '../../../lib/paginate';
import { spanDuration } from './waterfall';

export type SpanColumn =
  'sequence_id' | 'name' | 'span_id' | 'parent_id' | 'status' | 'start_time' | 'duration' | 'attributes';

export interface SpanSort {
  column: SpanColumn;
  direction: 'asc' | 'desc';
}

/** One page of the spans matching the search (`total` counts them across all pages). */
export type SpanPage = Page<Span>;

export const DEFAULT_SPAN_SORT: SpanSort = { column: 'start_time', direction: 'asc' };

/** Case-insensitive substring of the name, span id, parent id or trace id. */
export function searchSpans(spans: readonly Span[], query: string): Span[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [...spans];
  return spans.filter(
    (span) =>
      span.name.toLowerCase().includes(needle) ||
      span.span_id.toLowerCase().includes(needle) ||
      (span.parent_id ?? '').toLowerCase().includes(needle) ||
      span.trace_id.toLowerCase().includes(needle),
  );
}

function sortValue(span: Span, column: SpanColumn): string | number | null {
  switch (column) {
    case 'sequence_id':
      return span.sequence_id;
    case 'name':
      return span.name;
    case 'span_id':
      return span.span_id;
    case 'parent_id':
      return span.parent_id;
    case 'status':
      return span.status?.status_code ?? null;
    case 'start_time':
      return span.start_time;
    case 'duration':
      return spanDuration(span);
    case 'attributes':
      return attributeCount(span);
  }
}

/** Stable sort; empty values (null) always last whatever the direction, ties by sequence id. */
export function sortSpans(spans: readonly Span[], sort: SpanSort): Span[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...spans].sort((a, b) => {
    const av = sortValue(a, sort.column);
    const bv = sortValue(b, sort.column);
    if (av === null || bv === null) {
      if (av !== bv) return av === null ? 1 : -1;
    } else if (av !== bv) {
      const order = typeof av === 'number' && typeof bv === 'number' ? av - bv : String(av).localeCompare(String(bv));
      if (order !== 0) return sign * order;
    }
    return a.sequence_id - b.sequence_id;
  });
}

export function spanTablePage(
  spans: readonly Span[],
  options: { query: string; sort: SpanSort; page: number; pageSize: number },
): SpanPage {
  return paginate(sortSpans(searchSpans(spans, options.query), options.sort), options.page, options.pageSize);
}

export function attributeCount(span: Span): number {
  return Object.keys(span.attributes ?? {}).length;
}

/** Clicking the sorted column flips its direction; another column starts ascending. */
export function nextSort(current: SpanSort, column: SpanColumn): SpanSort {
  if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: 'asc' };
}
