import type { ReactNode } from 'react';
import { Button, Stack, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { EmptyIllustration } from './EmptyIllustration';

export interface EmptyStateProps {
  title: string;
  description?: ReactNode;
  onRefresh?: () => void;
  refreshing?: boolean;
}

/** Nothing to show yet: an illustration, a sentence, and a way to look again. */
export function EmptyState({ title, description, onRefresh, refreshing }: EmptyStateProps) {
  return (
    <Stack align="center" gap="xs" py="xl" data-testid="empty-state">
      <EmptyIllustration />
      <Text fw={600}>{title}</Text>
      {description && (
        <Text size="sm" c="dimmed" ta="center" maw={420}>
          {description}
        </Text>
      )}
      {onRefresh && (
        <Button
          variant="light"
          size="xs"
          leftSection={<IconRefresh size={14} />}
          onClick={onRefresh}
          loading={refreshing}
          mt="xs"
        >
          Refresh
        </Button>
      )}
    </Stack>
  );
}
