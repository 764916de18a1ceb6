/** The snapshot list: id, version, created, updated, resource count and a "latest" badge; search by id; paged. */
import { useMemo, useState } from 'react';
import { Badge, Group, Pagination, Table, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { formatTimestamp } from '../../../lib/format';
import { paginate } from '../../../lib/paginate';
import { searchSnapshots, type SnapshotRow } from '../lib/resourcesList';

const SNAPSHOT_PAGE_SIZE = 20;

export interface SnapshotListProps {
  rows: readonly SnapshotRow[];
  selectedId: string | null;
  onSelect: (resourcesId: string) => void;
}

export function SnapshotList({ rows, selectedId, onSelect }: SnapshotListProps) {
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const matching = useMemo(() => searchSnapshots(rows, query), [rows, query]);
  const view = paginate(matching, page, SNAPSHOT_PAGE_SIZE);
  return (
    <div>
      <TextInput
        aria-label="Search resources"
        placeholder="Search by resources id"
        leftSection={<IconSearch size={14} />}
        value={query}
        onChange={(event) => {
          setQuery(event.currentTarget.value);
          setPage(1);
        }}
        mb="xs"
      />
      <Table.ScrollContainer minWidth={640}>
        <Table highlightOnHover verticalSpacing={6} fz="sm" aria-label="Resource snapshots">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Resources ID</Table.Th>
              <Table.Th ta="right">Version</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Updated</Table.Th>
              <Table.Th ta="right">Resources</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {view.rows.map(({ snapshot, resourceCount, latest }) => {
              const selected = snapshot.resources_id === selectedId;
              return (
                <Table.Tr
                  key={snapshot.resources_id}
                  onClick={() => onSelect(snapshot.resources_id)}
                  bg={selected ? 'var(--mantine-primary-color-light)' : undefined}
                  style={{ cursor: 'pointer' }}
                  aria-selected={selected}
                  data-resources-id={snapshot.resources_id}
                >
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                        {snapshot.resources_id}
                      </Text>
                      {latest && (
                        <Badge size="xs" color="teal" variant="light" tt="none" flex="none">
                          latest
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">v{snapshot.version}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTimestamp(snapshot.create_time)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTimestamp(snapshot.update_time)}</Table.Td>
                  <Table.Td ta="right">{resourceCount}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {matching.length === 0 && (
        <Text c="dimmed" ta="center" py="md" size="sm">
          No resources id matches “{query}”.
        </Text>
      )}
      {view.pageCount > 1 && (
        <Group justify="flex-end" mt="sm">
          <Pagination total={view.pageCount} value={view.page} onChange={setPage} size="sm" />
        </Group>
      )}
    </div>
  );
}
