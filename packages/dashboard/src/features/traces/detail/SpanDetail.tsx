/**
 * Everything about one span: name, status, reward, ids, timing, and tabs for the chat (LLM calls), attributes,
 * events, links, resource attributes and the raw JSON. All span content is rendered as text.
 */
import { useMemo } from 'react';
import { Alert, Badge, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import type { Span } from '@agl/schemas';
import { formatTimestamp } from '../../../lib/format';
import { JsonBlock } from '../../../components/json/JsonBlock';
import { spanFacts } from '../lib/spanKind';
import { formatSpanDuration, spanDuration } from '../lib/waterfall';
import { SpanStatusBadge } from '../SpanStatusBadge';
import { AttributesTable } from './AttributesTable';
import { ChatView } from './ChatView';
import { CopyableId } from './CopyableId';
import { RewardCallout } from './RewardCallout';
import { EventsList, LinksList } from './SpanRelations';

export function SpanDetail({ span }: { span: Span }) {
  const facts = useMemo(() => spanFacts(span), [span]);
  const attributeCount = Object.keys(span.attributes ?? {}).length;
  return (
    <Stack gap="md" data-testid="span-detail">
      <Stack gap={4}>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Title order={4} style={{ wordBreak: 'break-word' }} data-testid="span-detail-name">
            {span.name}
          </Title>
          <SpanStatusBadge status={span.status} />
          {facts.llm && (
            <Badge size="sm" color="grape" variant="light">
              LLM call
            </Badge>
          )}
        </Group>
        {span.status?.description && (
          <Alert color={facts.error ? 'red' : 'gray'} variant="light" p="xs">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {span.status.description}
            </Text>
          </Alert>
        )}
      </Stack>
      {facts.reward && <RewardCallout reward={facts.reward} />}
      <Stack gap={2}>
        <CopyableId label="Span ID" value={span.span_id} />
        <CopyableId label="Parent ID" value={span.parent_id} />
        <CopyableId label="Trace ID" value={span.trace_id} />
        <CopyableId label="Attempt" value={span.attempt_id} />
        <CopyableId label="Rollout" value={span.rollout_id} />
      </Stack>
      <Group gap="xl">
        <Text size="sm">
          <Text span c="dimmed">
            Start{' '}
          </Text>
          {formatTimestamp(span.start_time, { ms: true })}
        </Text>
        <Text size="sm">
          <Text span c="dimmed">
            End{' '}
          </Text>
          {formatTimestamp(span.end_time, { ms: true })}
        </Text>
        <Text size="sm" data-testid="span-duration">
          <Text span c="dimmed">
            Duration{' '}
          </Text>
          {span.end_time === null ? 'still running' : formatSpanDuration(spanDuration(span))}
        </Text>
        <Text size="sm">
          <Text span c="dimmed">
            Seq{' '}
          </Text>
          {span.sequence_id}
        </Text>
      </Group>
      {/* Keyed by span so opening another span starts on its own default tab. */}
      <Tabs key={span.span_id} defaultValue={facts.llm ? 'chat' : 'attributes'} keepMounted={false}>
        <Tabs.List>
          {facts.llm && <Tabs.Tab value="chat">Chat</Tabs.Tab>}
          <Tabs.Tab value="attributes">Attributes ({attributeCount})</Tabs.Tab>
          <Tabs.Tab value="events">Events ({span.events?.length ?? 0})</Tabs.Tab>
          <Tabs.Tab value="links">Links ({span.links?.length ?? 0})</Tabs.Tab>
          <Tabs.Tab value="resource">Resource</Tabs.Tab>
          <Tabs.Tab value="raw">Raw JSON</Tabs.Tab>
        </Tabs.List>
        {facts.llm && (
          <Tabs.Panel value="chat" pt="sm">
            <ChatView call={facts.llm} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="attributes" pt="sm">
          <AttributesTable attributes={span.attributes} />
        </Tabs.Panel>
        <Tabs.Panel value="events" pt="sm">
          <EventsList events={span.events ?? []} />
        </Tabs.Panel>
        <Tabs.Panel value="links" pt="sm">
          <LinksList links={span.links ?? []} />
        </Tabs.Panel>
        <Tabs.Panel value="resource" pt="sm">
          <Stack gap="xs">
            <AttributesTable attributes={span.resource?.attributes} emptyText="No resource attributes" />
            {span.resource?.schema_url ? (
              <Text size="xs" c="dimmed">
                schema_url: {span.resource.schema_url}
              </Text>
            ) : null}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="raw" pt="sm">
          <JsonBlock value={span} label={`span ${span.span_id}`} maxHeight={520} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
