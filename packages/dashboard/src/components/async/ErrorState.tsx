import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { errorMessage } from './errorMessage';

export interface ErrorStateProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  retrying?: boolean;
}

/** A failed request: the server's own message (its `detail`), and a retry. */
export function ErrorState({ error, title = 'Could not load data', onRetry, retrying }: ErrorStateProps) {
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlertTriangle size={18} />} data-testid="error-state">
      <Text size="sm" style={{ wordBreak: 'break-word' }}>
        {errorMessage(error)}
      </Text>
      {onRetry && (
        <Group mt="sm">
          <Button
            size="xs"
            color="red"
            variant="light"
            leftSection={<IconRefresh size={14} />}
            onClick={onRetry}
            loading={retrying}
          >
            Retry
          </Button>
        </Group>
      )}
    </Alert>
  );
}
