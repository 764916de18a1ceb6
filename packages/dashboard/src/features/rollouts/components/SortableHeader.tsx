import { Group, Table, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import { COLUMN_LABELS, COLUMN_WIDTHS } from '../columns';
import classes from './RolloutTable.module.css';
import { ROLLOUT_COLUMNS, type RolloutColumn, type RolloutSort } from '../rolloutSort';

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/** The header row; with `onSort` every data column is a sort button, without it (nested tables) plain text. */
export function SortableHeader({ sort, onSort }: { sort?: RolloutSort; onSort?: (column: RolloutColumn) => void }) {
  return (
    <Table.Tr>
      {ROLLOUT_COLUMNS.map((column) => {
        const active = sort?.column === column;
        const Icon = !active ? IconSelector : sort.direction === 'asc' ? IconChevronUp : IconChevronDown;
        return (
          <Table.Th
            key={column}
            aria-sort={active ? ARIA_SORT[sort.direction] : undefined}
            style={{ whiteSpace: 'nowrap', width: COLUMN_WIDTHS[column] }}
          >
            {onSort ? (
              <UnstyledButton onClick={() => onSort(column)} data-column={column}>
                <Group gap={4} wrap="nowrap">
                  <Text fw={600} size="sm" span>
                    {COLUMN_LABELS[column]}
                  </Text>
                  <Icon size={14} stroke={1.5} opacity={active ? 1 : 0.5} aria-hidden />
                </Group>
              </UnstyledButton>
            ) : (
              COLUMN_LABELS[column]
            )}
          </Table.Th>
        );
      })}
      <Table.Th className={classes.actions} style={{ width: COLUMN_WIDTHS.actions }}>
        Actions
      </Table.Th>
    </Table.Tr>
  );
}
