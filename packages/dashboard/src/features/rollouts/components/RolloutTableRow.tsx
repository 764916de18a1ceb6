import { memo } from 'react';
import { ActionIcon, Group, Table, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { StatusBadge } from '../../../components/StatusBadge';
import { NOT_AVAILABLE } from '../columns';
import type { RolloutRow } from '../rolloutRows';
import { ActionsCell, DurationCell, HeartbeatCell, InputCell, type RowActions } from './RolloutCells';

export interface RolloutTableRowProps extends RowActions {
  row: RolloutRow;
  /** A nested attempt row shows its attempt's status and never expands. */
  nested?: boolean;
  expanded?: boolean;
  onToggleExpand?: (rolloutId: string) => void;
}

const idText = (value: string | null | undefined) => (
  <Text span size="xs" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
    {value ?? NOT_AVAILABLE}
  </Text>
);

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
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          {!nested &&
            (row.expandable ? (
              <ActionIcon
                variant="subtle"
                size="sm"
                aria-expanded={expanded}
                aria-label={`${expanded ? 'Hide' : 'Show'} attempts of ${rolloutId}`}
                onClick={() => onToggleExpand?.(rolloutId)}
              >
                {expanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
              </ActionIcon>
            ) : (
              // Keeps IDs aligned whether or not the row can expand.
              <span style={{ display: 'inline-block', width: 'var(--ai-size-sm, 22px)' }} />
            ))}
          {idText(rolloutId)}
        </Group>
      </Table.Td>
      <Table.Td>{idText(attempt?.attempt_id)}</Table.Td>
      <Table.Td>
        <InputCell row={row} />
      </Table.Td>
      <Table.Td>
        {nested && attempt ? (
          <StatusBadge attemptStatus={attempt.status} />
        ) : (
          <StatusBadge rolloutStatus={rollout.status} attemptStatus={attempt?.status ?? null} />
        )}
      </Table.Td>
      <Table.Td>{idText(rollout.resources_id)}</Table.Td>
      <Table.Td>{rollout.mode ?? NOT_AVAILABLE}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{row.startTimeText}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <DurationCell row={row} />
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <HeartbeatCell row={row} />
      </Table.Td>
      <Table.Td>{idText(attempt ? attempt.worker_id : null)}</Table.Td>
      <Table.Td>
        <ActionsCell row={row} onRawJson={onRawJson} onTraces={onTraces} />
      </Table.Td>
    </Table.Tr>
  );
});
