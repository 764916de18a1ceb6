import { Skeleton, Stack } from '@mantine/core';

/** Placeholder rows shaped like a table while the first response is on its way. */
export function LoadingState({ rows = 6 }: { rows?: number }) {
  return (
    <Stack gap="xs" data-testid="loading-state" aria-busy="true" aria-label="Loading">
      <Skeleton height={32} radius="sm" />
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={24} radius="sm" opacity={1 - i * (0.6 / rows)} />
      ))}
    </Stack>
  );
}
