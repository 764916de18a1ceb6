/**
 * The Rollouts table's columns, each defined once: header label, width, alignment, what it sorts on and how its cell
 * renders. The header, the rollout rows and the nested attempt rows all map over this one array, so their columns
 * cannot drift apart.
 */
import type { ReactNode } from 'react';
import { ActionIcon } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { StatusBadge } from '../../components/StatusBadge';
import { NOT_AVAILABLE } from '../../lib/format';
import { ActionsCell, DurationCell, HeartbeatCell, InputCell, type RowActions } from './components/RolloutCells';
import classes from './components/RolloutTable.module.css';
import { inputPreview, type RolloutRow } from './rolloutRows';

/** What a cell knows besides its row. */
export interface CellContext extends RowActions {
  /** A nested attempt row shows its attempt's status and never expands. */
  nested: boolean;
  expanded: boolean;
  onToggleExpand?: (rolloutId: string) => void;
}

export type SortKey = string | number | null;

interface ColumnDefinition<Id extends string> {
  id: Id;
  label: string;
  /**
   * Pixels. The table uses a fixed layout: the browser then sizes columns from the header alone instead of measuring
   * ~1,100 cells on every sort or page change (about a third of the time to paint).
   */
  width: number;
  align: 'left' | 'right';
  /** One line, never wrapped (times and durations). */
  nowrap?: boolean;
  /** What the column sorts on: the value the cell shows; null (N/A) sorts last. Absent: not sortable. */
  sortKey?: (row: RolloutRow) => SortKey;
  /** A plain function, not a component: 1,100 cells per page should not cost 1,100 component instances. */
  cell: (row: RolloutRow, context: CellContext) => ReactNode;
}

const column = <const Id extends string>(definition: ColumnDefinition<Id>) => definition;

// Hoisted elements: React skips re-rendering an element it has already rendered.
const EXPANDED_ICON = <IconChevronDown size={16} />;
const COLLAPSED_ICON = <IconChevronRight size={16} />;

const idText = (value: string | null | undefined) => <span className={classes.mono}>{value ?? NOT_AVAILABLE}</span>;

function rolloutIdCell(row: RolloutRow, { nested, expanded, onToggleExpand }: CellContext) {
  const rolloutId = row.rollout.rollout_id;
  return (
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
  );
}

/** The columns of docs/dashboard.md, in display order; Actions (not sortable) stays last and in view. */
export const ROLLOUT_TABLE_COLUMNS = [
  column({
    id: 'rollout',
    label: 'Rollout',
    width: 170,
    align: 'left',
    sortKey: (row) => row.rollout.rollout_id,
    cell: rolloutIdCell,
  }),
  column({
    id: 'attempt',
    label: 'Attempt',
    width: 105,
    align: 'left',
    sortKey: (row) => row.attempt?.attempt_id ?? null,
    cell: (row) => idText(row.attempt?.attempt_id),
  }),
  column({
    id: 'input',
    label: 'Input',
    width: 235,
    align: 'left',
    sortKey: inputPreview,
    cell: (row) => <InputCell row={row} />,
  }),
  column({
    id: 'status',
    label: 'Status',
    width: 170,
    align: 'left',
    sortKey: (row) => row.statusLabel,
    cell: (row, { nested }) =>
      nested && row.attempt ? (
        <StatusBadge attemptStatus={row.attempt.status} />
      ) : (
        <StatusBadge rolloutStatus={row.rollout.status} attemptStatus={row.attempt?.status ?? null} />
      ),
  }),
  column({
    id: 'resources',
    label: 'Resources ID',
    width: 130,
    align: 'left',
    sortKey: (row) => row.rollout.resources_id,
    cell: (row) => idText(row.rollout.resources_id),
  }),
  column({
    id: 'mode',
    label: 'Mode',
    width: 60,
    align: 'left',
    sortKey: (row) => row.rollout.mode,
    cell: (row) => row.rollout.mode ?? NOT_AVAILABLE,
  }),
  column({
    id: 'startTime',
    label: 'Start Time',
    width: 145,
    align: 'left',
    nowrap: true,
    // The rank of the displayed text: the order of what the cell shows, compared as numbers.
    sortKey: (row) => row.startTimeRank,
    cell: (row) => row.startTimeText,
  }),
  column({
    id: 'duration',
    label: 'Duration',
    width: 95,
    align: 'right',
    nowrap: true,
    sortKey: (row) => row.durationSeconds,
    cell: (row) => <DurationCell row={row} />,
  }),
  column({
    id: 'heartbeat',
    label: 'Last Heartbeat',
    width: 115,
    align: 'left',
    nowrap: true,
    sortKey: (row) => {
      // The cell shows an age ("5s ago"), so ascending means the freshest heartbeat first.
      const heartbeat = row.attempt?.last_heartbeat_time ?? null;
      return heartbeat === null ? null : -heartbeat;
    },
    cell: (row) => <HeartbeatCell row={row} />,
  }),
  column({
    id: 'worker',
    label: 'Worker ID',
    width: 120,
    align: 'left',
    sortKey: (row) => row.attempt?.worker_id ?? null,
    cell: (row) => idText(row.attempt ? row.attempt.worker_id : null),
  }),
  column({
    id: 'actions',
    label: 'Actions',
    width: 76,
    align: 'left',
    cell: (row, { onRawJson, onTraces }) => <ActionsCell row={row} onRawJson={onRawJson} onTraces={onTraces} />,
  }),
];

/** The sortable columns' ids. */
export type RolloutColumn = Exclude<(typeof ROLLOUT_TABLE_COLUMNS)[number]['id'], 'actions'>;

export const TABLE_MIN_WIDTH = ROLLOUT_TABLE_COLUMNS.reduce((sum, { width }) => sum + width, 0);
export const COLUMN_COUNT = ROLLOUT_TABLE_COLUMNS.length;
