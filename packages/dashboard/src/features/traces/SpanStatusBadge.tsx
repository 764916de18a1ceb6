import { Badge } from '@mantine/core';
import type { TraceStatus } from '@agl/schemas';
import { spanStatusColor } from '../../lib/status';

/** OTel span status codes (OK, ERROR, UNSET, or any string from generation A writers), coloured by lib/status.ts. */
export function SpanStatusBadge({ status }: { status: TraceStatus | null | undefined }) {
  const code = status?.status_code ?? 'UNSET';
  return (
    <Badge size="sm" variant="light" color={spanStatusColor(code)} radius="sm" tt="none" data-status={code}>
      {code}
    </Badge>
  );
}
