/** The selected snapshot: its id, version and times, a Raw JSON button for the drawer, then one card per resource. */
import { useMemo } from 'react';
import { Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconBraces } from '@tabler/icons-react';
import type { ResourcesUpdate } from '@agl/schemas';
import { useAppDispatch } from '../../../app/hooks';
import { openDrawer } from '../../../app/slices/drawers';
import { formatTimestamp } from '../../../lib/format';
import { resourceViews } from '../lib/namedResources';
import { ResourceCard } from './ResourceCard';

export function SnapshotDetail({ snapshot, latest }: { snapshot: ResourcesUpdate; latest: boolean }) {
  const dispatch = useAppDispatch();
  const views = useMemo(() => resourceViews(snapshot.resources), [snapshot.resources]);
  return (
    <Stack gap="sm" data-testid="snapshot-detail">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="xs">
            <Title order={4} ff="monospace">
              {snapshot.resources_id}
            </Title>
            <Badge variant="default" tt="none">
              v{snapshot.version}
            </Badge>
            {latest && (
              <Badge color="teal" variant="light" tt="none">
                latest
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            Created {formatTimestamp(snapshot.create_time)} · updated {formatTimestamp(snapshot.update_time)}
          </Text>
        </div>
        <Button
          variant="default"
          size="xs"
          leftSection={<IconBraces size={14} />}
          onClick={() =>
            dispatch(
              openDrawer({ type: 'rawJson', subject: { kind: 'resources', resourcesId: snapshot.resources_id } }),
            )
          }
        >
          Raw JSON
        </Button>
      </Group>
      {views.length === 0 ? (
        <Text c="dimmed" size="sm">
          This snapshot holds no resources.
        </Text>
      ) : (
        views.map((view) => <ResourceCard key={view.name} view={view} />)
      )}
    </Stack>
  );
}
