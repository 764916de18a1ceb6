import { Button, Stack, Text, Title } from '@mantine/core';
import { Link, useLocation } from 'react-router';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <Stack align="center" gap="sm" py="xl" data-testid="not-found-page">
      <Title order={2}>Page not found</Title>
      <Text c="dimmed">
        There is no page at <code>{pathname}</code>.
      </Text>
      <Button component={Link} to="/rollouts" variant="light">
        Go to Rollouts
      </Button>
    </Stack>
  );
}
