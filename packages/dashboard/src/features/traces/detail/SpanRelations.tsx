/** A span's events (exceptions, logs) and links to other spans, each with its own attributes. */
import { Paper, Stack, Text } from '@mantine/core';
import type { SpanEvent, SpanLink } from '@agl/schemas';
import { formatTimestamp } from '../../../lib/format';
import { AttributesTable } from './AttributesTable';

export function EventsList({ events }: { events: readonly SpanEvent[] }) {
  if (events.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No events
      </Text>
    );
  return (
    <Stack gap="sm">
      {events.map((event, i) => (
        <Paper key={i} withBorder p="sm" radius="sm">
          <Text size="sm" fw={600}>
            {event.name}
          </Text>
          <Text size="xs" c="dimmed" mb={4}>
            {formatTimestamp(event.timestamp, { ms: true })}
          </Text>
          <AttributesTable attributes={event.attributes} />
        </Paper>
      ))}
    </Stack>
  );
}

export function LinksList({ links }: { links: readonly SpanLink[] }) {
  if (links.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No links
      </Text>
    );
  return (
    <Stack gap="sm">
      {links.map((link, i) => (
        <Paper key={i} withBorder p="sm" radius="sm">
          <Text size="sm" ff="monospace">
            trace {link.context.trace_id} · span {link.context.span_id}
          </Text>
          <AttributesTable attributes={link.attributes} emptyText="No link attributes" />
        </Paper>
      ))}
    </Stack>
  );
}
