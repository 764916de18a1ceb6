/**
 * The table view: one row per span with sortable columns, search by name or id, and pages of 50. Sorting and
 * filtering happen here on the loaded spans (docs/dashboard.md: the UI never sends parameters the server ignores).
 */
import { useMemo, useState } from 'react';
import { Group, Pagination, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSearch, IconSelector } from '@tabler/icons-react';
import type { Span } from '@agl/schemas';
import { formatTimestamp } from '../../../lib/format';
import {
  DEFAULT_SPAN_SORT,
  attributeCount,
  nextSort,
  spanTablePage,
  type SpanColumn,
  type SpanSort,
} from '../lib/spanTable';
import { formatSpanDuration, spanDuration } from '../lib/waterfall';
import { SpanStatusBadge } from '../SpanStatusBadge';

const SPAN_PAGE_SIZE = 50;

const COLUMNS: { column: SpanColumn; label: string; numeric?: boolean }[] = [
  { column: 'sequence_id', label: 'Seq', numeric: true },
  { column: 'name', label: 'Name' },
  { column: 'span_id', label: 'Span ID' },
  { column: 'parent_id', label: 'Parent ID' },
  { column: 'status', label: 'Status' },
  { column: 'start_time', label: 'Start time' },
  { column: 'duration', label: 'Duration', numeric: true },
  { column: 'attributes', label: 'Attributes', numeric: true },
];

export interface SpanTableViewProps {
  spans: readonly Span[];
  selectedSpanId: string | null;
  onOpenSpan: (spanId: string) => void;
}

export function SpanTableView({ spans, selectedSpanId, onOpenSpan }: SpanTableViewProps) {
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SpanSort>(DEFAULT_SPAN_SORT);
  const [page, setPage] = useState(1);
  const view = useMemo(
    () => spanTablePage(spans, { query, sort, page, pageSize: SPAN_PAGE_SIZE }),
    [spans, query, sort, page],
  );

  return (
    <div>
      <Group justify="space-between" mb="xs">
        <TextInput
          aria-label="Search spans"
          placeholder="Search by name or id"
          leftSection={<IconSearch size={14} />}
          value={query}
          onChange={(event) => {
            setQuery(event.currentTarget.value);
            setPage(1);
          }}
          w={320}
        />
        <Text size="sm" c="dimmed">
          {view.total === spans.length ? `${spans.length} spans` : `${view.total} of ${spans.length} spans match`}
        </Text>
      </Group>
      <Table.ScrollContainer minWidth={900}>
        <Table highlightOnHover striped verticalSpacing={4} fz="sm" aria-label="Spans table">
          <Table.Thead>
            <Table.Tr>
              {COLUMNS.map(({ column, label, numeric }) => (
                <Table.Th
                  key={column}
                  ta={numeric ? 'right' : undefined}
                  aria-sort={sort.column === column ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <UnstyledButton onClick={() => setSort((current) => nextSort(current, column))} fw={600} fz="sm">
                    <Group gap={4} wrap="nowrap" justify={numeric ? 'flex-end' : undefined}>
                      {label}
                      {sort.column !== column ? (
                        <IconSelector size={12} />
                      ) : sort.direction === 'asc' ? (
                        <IconChevronUp size={12} />
                      ) : (
                        <IconChevronDown size={12} />
                      )}
                    </Group>
                  </UnstyledButton>
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.rows.map((span) => (
              <Table.Tr
                key={span.span_id}
                onClick={() => onOpenSpan(span.span_id)}
                bg={span.span_id === selectedSpanId ? 'var(--mantine-primary-color-light)' : undefined}
                style={{ cursor: 'pointer' }}
                data-span-id={span.span_id}
              >
                <Table.Td ta="right">{span.sequence_id}</Table.Td>
                <Table.Td maw={280}>
                  <Text size="sm" truncate="end" title={span.name}>
                    {span.name}
                  </Text>
                </Table.Td>
                <Table.Td ff="monospace">{span.span_id}</Table.Td>
                <Table.Td ff="monospace">{span.parent_id ?? '—'}</Table.Td>
                <Table.Td>
                  <SpanStatusBadge status={span.status} />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTimestamp(span.start_time, { ms: true })}</Table.Td>
                <Table.Td ta="right">{formatSpanDuration(spanDuration(span))}</Table.Td>
                <Table.Td ta="right">{attributeCount(span)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {view.total === 0 && (
        <Text c="dimmed" ta="center" py="md" size="sm">
          No span matches “{query}”.
        </Text>
      )}
      {view.pageCount > 1 && (
        <Group justify="flex-end" mt="sm">
          <Pagination total={view.pageCount} value={view.page} onChange={setPage} size="sm" aria-label="Span pages" />
        </Group>
      )}
    </div>
  );
}
