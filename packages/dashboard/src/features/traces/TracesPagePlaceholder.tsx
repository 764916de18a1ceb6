// Placeholder from the dashboard foundation (issue 3); the Traces page owner deletes it.
import { Title } from '@mantine/core';

export function TracesPage() {
  return <Title order={2}>Traces</Title>;
}
