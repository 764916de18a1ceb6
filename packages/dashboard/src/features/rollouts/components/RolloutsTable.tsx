import { Fragment } from 'react';
import { Table, Text } from '@mantine/core';
import { COLUMN_COUNT, TABLE_MIN_WIDTH, type RolloutColumn } from '../columns';
import type { RolloutRow } from '../rolloutRows';
import type { RolloutSort } from '../rolloutSort';
import { AttemptsTable } from './AttemptsTable';
import type { RowActions } from './RolloutCells';
import { RolloutTableRow } from './RolloutTableRow';
import { SortableHeader } from './SortableHeader';

export interface RolloutsTableProps extends RowActions {
  /** One page of rows: the DOM never holds more than a page, whatever the store's size. */
  rows: readonly RolloutRow[];
  sort: RolloutSort;
  onSort: (column: RolloutColumn) => void;
  expanded: ReadonlySet<string>;
  onToggleExpand: (rolloutId: string) => void;
}

/** The Rollouts table: sortable headers, one row per rollout, and a nested attempts table under expanded rows. */
export function RolloutsTable({
  rows,
  sort,
  onSort,
  expanded,
  onToggleExpand,
  onRawJson,
  onTraces,
}: RolloutsTableProps) {
  return (
    <Table.ScrollContainer minWidth={TABLE_MIN_WIDTH} type="native">
      <Table
        layout="fixed"
        striped
        highlightOnHover
        stickyHeader
        fz="xs"
        verticalSpacing={6}
        data-testid="rollouts-table"
        aria-label="Rollouts"
      >
        <Table.Thead>
          <SortableHeader sort={sort} onSort={onSort} />
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={COLUMN_COUNT}>
                <Text size="sm" c="dimmed" ta="center" py="md">
                  No rollouts match the filters.
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {rows.map((row, slot) => {
            const isExpanded = row.expandable && expanded.has(row.key);
            // Keyed by position, not by rollout: a sort or a page change then updates 100 rows' text in place
            // instead of removing and creating ~3,000 DOM nodes. Rows hold no state that could leak between slots.
            return (
              <Fragment key={slot}>
                <RolloutTableRow
                  row={row}
                  expanded={isExpanded}
                  onToggleExpand={onToggleExpand}
                  onRawJson={onRawJson}
                  onTraces={onTraces}
                />
                {isExpanded && (
                  <Table.Tr>
                    <Table.Td colSpan={COLUMN_COUNT} p={0}>
                      <AttemptsTable rollout={row.rollout} onRawJson={onRawJson} onTraces={onTraces} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
