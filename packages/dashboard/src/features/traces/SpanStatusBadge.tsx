import { Badge } from '@mantine/core';
import type { TraceStatus } from '@agl/schemas';

/**
 * OTel span status codes (OK, ERROR, UNSET, or any string from generation A writers). Not in lib/status.ts, which
 * maps rollout/attempt statuses; ERROR uses the theme's error colour like the tree.
 */
export function SpanStatusBadge({ status }: { status: TraceStatus | null | undefined }) {
  const code = status?.status_code ?? 'UNSET';
  const upper = code.toUpperCase();
  const color = upper === 'ERROR' ? 'red' : upper === 'OK' ? 'teal' : 'gray';
  return (
    <Badge size="sm" variant="light" color={color} radius="sm" tt="none" data-status={code}>
      {code}
    </Badge>
  );
}
