/**
 * The Resources page: resource snapshots (newest first, the latest flagged) beside the selected snapshot's named
 * resources. The selection defaults to the latest snapshot and is kept while auto-refresh brings new ones.
 */
import { useMemo, useState } from 'react';
import { Grid, Stack, Title } from '@mantine/core';
import { API_PREFIX } from '@agl/schemas';
import { useAutoRefresh } from '../../../app/polling';
import { useGetResourcesQuery } from '../../../api/resources';
import { QueryState } from '../../../components/async';
import { snapshotRows } from '../lib/resourcesList';
import { SnapshotDetail } from './SnapshotDetail';
import { SnapshotList } from './SnapshotList';

export function ResourcesPage() {
  const query = useGetResourcesQuery(undefined, useAutoRefresh());
  return (
    <Stack gap="md">
      <Title order={2}>Resources</Title>
      <QueryState
        query={query}
        emptyTitle="No resources yet"
        emptyDescription={`Resource snapshots appear here once a trainer or client posts them (POST ${API_PREFIX}/resources).`}
        errorTitle="Could not load resources"
      >
        {(snapshots) => <ResourcesBrowser snapshots={snapshots} />}
      </QueryState>
    </Stack>
  );
}

function ResourcesBrowser({ snapshots }: { snapshots: Parameters<typeof snapshotRows>[0] }) {
  const rows = useMemo(() => snapshotRows(snapshots), [snapshots]);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const selected = rows.find((r) => r.snapshot.resources_id === chosenId) ?? rows[0]!;
  return (
    <Grid gutter="lg">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <SnapshotList rows={rows} selectedId={selected.snapshot.resources_id} onSelect={setChosenId} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        {/* Keyed so a revealed API key is hidden again when another snapshot is shown. */}
        <SnapshotDetail key={selected.snapshot.resources_id} snapshot={selected.snapshot} latest={selected.latest} />
      </Grid.Col>
    </Grid>
  );
}
