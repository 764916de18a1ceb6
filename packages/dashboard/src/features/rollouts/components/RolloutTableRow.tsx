import { memo } from 'react';
import { ActionIcon, Table } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { StatusBadge } from '../../../components/StatusBadge';
import { NOT_AVAILABLE } from '../columns';
import type { RolloutRow } from '../rolloutRows';
import { ActionsCell, DurationCell, HeartbeatCell, InputCell, type RowActions } from './RolloutCells';
import classes from './RolloutTable.module.css';

export interface RolloutTableRowProps extends RowActions {
  row: RolloutRow;
  /** A nested attempt row shows its attempt's status and never expands. */
  nested?: boolean;
  expanded?: boolean;
  onToggleExpand?: (rolloutId: string) => void;
}

const EXPANDED_ICON = <IconChevronDown size={16} />;
const COLLAPSED_ICON = <IconChevronRight size={16} />;

const idText = (value: string | null | undefined) => <span className={classes.mono}>{value ?? NOT_AVAILABLE}</span>;

/**
 * One row, with the spec's columns in order. Memoised: a page re-renders only the rows whose data changed, and a
 * refresh with no change re-renders none.
 */
export const RolloutTableRow = memo(function RolloutTableRow({
  row,
  nested = false,
  expanded = false,
  onToggleExpand,
  onRawJson,
  onTraces,
}: RolloutTableRowProps) {
  const { rollout, attempt } = row;
  const rolloutId = rollout.rollout_id;
  return (
    <Table.Tr data-testid={nested ? 'attempt-row' : 'rollout-row'} data-key={row.key}>
      <td className={classes.td}>
        <span className={classes.inline}>
          {!nested &&
            (row.expandable ? (
              <ActionIcon
                variant="subtle"
                size="sm"
                aria-expanded={expanded}
                aria-label={`${expanded ? 'Hide' : 'Show'} attempts of ${rolloutId}`}
                onClick={() => onToggleExpand?.(rolloutId)}
              >
                {expanded ? EXPANDED_ICON : COLLAPSED_ICON}
              </ActionIcon>
            ) : (
              // Keeps IDs aligned whether or not the row can expand.
              <span className={classes.expanderSpace} />
            ))}
          {idText(rolloutId)}
        </span>
      </td>
      <td className={classes.td}>{idText(attempt?.attempt_id)}</td>
      <td className={classes.td}>
        <InputCell row={row} />
      </td>
      <td className={classes.td}>
        {nested && attempt ? (
          <StatusBadge attemptStatus={attempt.status} />
        ) : (
          <StatusBadge rolloutStatus={rollout.status} attemptStatus={attempt?.status ?? null} />
        )}
      </td>
      <td className={classes.td}>{idText(rollout.resources_id)}</td>
      <td className={classes.td}>{rollout.mode ?? NOT_AVAILABLE}</td>
      <td className={`${classes.td} ${classes.nowrap}`}>{row.startTimeText}</td>
      <td className={`${classes.td} ${classes.nowrap}`}>
        <DurationCell row={row} />
      </td>
      <td className={`${classes.td} ${classes.nowrap}`}>
        <HeartbeatCell row={row} />
      </td>
      <td className={classes.td}>{idText(attempt ? attempt.worker_id : null)}</td>
      <td className={`${classes.td} ${classes.actions}`}>
        <ActionsCell row={row} onRawJson={onRawJson} onTraces={onTraces} />
      </td>
    </Table.Tr>
  );
});
