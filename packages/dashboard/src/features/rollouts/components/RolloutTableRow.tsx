import { memo } from 'react';
import { Table } from '@mantine/core';
import { ROLLOUT_TABLE_COLUMNS } from '../columns';
import type { RolloutRow } from '../rolloutRows';
import type { RowActions } from './RolloutCells';
import classes from './RolloutTable.module.css';

export interface RolloutTableRowProps extends RowActions {
  row: RolloutRow;
  /** A nested attempt row shows its attempt's status and never expands. */
  nested?: boolean;
  expanded?: boolean;
  onToggleExpand?: (rolloutId: string) => void;
}

/** Each column's cell class, worked out once rather than per cell. */
const CELLS = ROLLOUT_TABLE_COLUMNS.map((column) => ({
  column,
  className: [
    classes.td,
    column.nowrap && classes.nowrap,
    column.align === 'right' && classes.right,
    column.id === 'actions' && classes.actions,
  ]
    .filter(Boolean)
    .join(' '),
}));

/**
 * One row, one cell per column of ROLLOUT_TABLE_COLUMNS. Memoised: a page re-renders only the rows whose data
 * changed, and a refresh with no change re-renders none.
 */
export const RolloutTableRow = memo(function RolloutTableRow({
  row,
  nested = false,
  expanded = false,
  onToggleExpand,
  onRawJson,
  onTraces,
}: RolloutTableRowProps) {
  const context = { nested, expanded, onToggleExpand, onRawJson, onTraces };
  return (
    <Table.Tr data-testid={nested ? 'attempt-row' : 'rollout-row'} data-key={row.key}>
      {CELLS.map(({ column, className }) => (
        <td key={column.id} className={className}>
          {column.cell(row, context)}
        </td>
      ))}
    </Table.Tr>
  );
});
