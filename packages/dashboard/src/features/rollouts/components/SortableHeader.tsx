import { Group, Table, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import { ROLLOUT_TABLE_COLUMNS, type RolloutColumn } from '../columns';
import type { RolloutSort } from '../rolloutSort';
import classes from './RolloutTable.module.css';

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/** The header row; with `onSort` every sortable column is a sort button, without it (nested tables) plain text. */
export function SortableHeader({ sort, onSort }: { sort?: RolloutSort; onSort?: (column: RolloutColumn) => void }) {
  return (
    <Table.Tr>
      {ROLLOUT_TABLE_COLUMNS.map(({ id, label, width, align, sortKey }) => {
        const sortable = onSort && sortKey && id !== 'actions';
        const active = sort?.column === id;
        const Icon = !active ? IconSelector : sort.direction === 'asc' ? IconChevronUp : IconChevronDown;
        return (
          <Table.Th
            key={id}
            aria-sort={active ? ARIA_SORT[sort.direction] : undefined}
            className={id === 'actions' ? classes.actions : undefined}
            style={{ whiteSpace: 'nowrap', width, textAlign: align }}
          >
            {sortable ? (
              <UnstyledButton onClick={() => onSort(id)} data-column={id}>
                <Group gap={4} wrap="nowrap" justify={align === 'right' ? 'flex-end' : undefined}>
                  <Text fw={600} size="sm" span>
                    {label}
                  </Text>
                  <Icon size={14} stroke={1.5} opacity={active ? 1 : 0.5} aria-hidden />
                </Group>
              </UnstyledButton>
            ) : (
              label
            )}
          </Table.Th>
        );
      })}
    </Table.Tr>
  );
}
