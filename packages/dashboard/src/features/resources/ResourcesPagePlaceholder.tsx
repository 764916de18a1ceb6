// Placeholder from the dashboard foundation (issue 3); the Resources page owner deletes it.
import { Title } from '@mantine/core';

export function ResourcesPage() {
  return <Title order={2}>Resources</Title>;
}
