/**
 * An LLM call read as a conversation: model and token counts, then each prompt and completion message with its
 * role, its text (plain text, whitespace kept) and any tool calls; token-id attributes as counts that expand.
 */
import { useState } from 'react';
import { Badge, Button, Code, Group, Paper, Spoiler, Stack, Text } from '@mantine/core';
import { formatCount } from '../../../lib/format';
import type { ChatMessage, LlmCall, TokenIds } from '../lib/llm';
import { prettyJson } from '../lib/attributes';

const ROLE_COLOR: Record<string, string> = { system: 'gray', user: 'blue', assistant: 'grape', tool: 'teal' };

function MessageView({ message }: { message: ChatMessage }) {
  return (
    <Paper withBorder p="sm" radius="sm" data-testid="chat-message" data-role={message.role}>
      <Group gap="xs" mb={6}>
        <Badge size="sm" variant="light" color={ROLE_COLOR[message.role] ?? 'cyan'} tt="none">
          {message.role}
        </Badge>
        <Text size="xs" c="dimmed">
          {message.side === 'prompt' ? `prompt ${message.index}` : `completion ${message.index}`}
          {message.finishReason ? ` · finish: ${message.finishReason}` : ''}
        </Text>
      </Group>
      {message.text !== '' && (
        <Spoiler maxHeight={180} showLabel="Show more" hideLabel="Show less" fz="sm">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {message.text}
          </Text>
        </Spoiler>
      )}
      {message.toolCalls.map((call, i) => (
        <Stack key={i} gap={4} mt="xs">
          <Text size="sm">
            Tool call <b>{call.name ?? 'unnamed'}</b>
            {call.id ? <Text span size="xs" c="dimmed">{` (${call.id})`}</Text> : null}
          </Text>
          {call.arguments !== null && (
            <Code block style={{ whiteSpace: 'pre-wrap' }}>
              {prettyJson(call.arguments) ?? call.arguments}
            </Code>
          )}
        </Stack>
      ))}
      {message.text === '' && message.toolCalls.length === 0 && (
        <Text size="sm" c="dimmed" fs="italic">
          (empty)
        </Text>
      )}
    </Paper>
  );
}

function TokenIdsRow({ entry }: { entry: TokenIds }) {
  const [open, setOpen] = useState(false);
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Text size="sm" ff="monospace">
          {entry.key}
        </Text>
        <Badge size="sm" variant="default" tt="none" data-testid="token-id-count">
          {entry.count === null ? 'unreadable' : `${formatCount(entry.count)} tokens`}
        </Badge>
        {entry.count !== null && entry.count > 0 && (
          <Button size="compact-xs" variant="subtle" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
            {open ? 'Hide ids' : 'Show ids'}
          </Button>
        )}
      </Group>
      {open && (
        <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 200, overflow: 'auto' }}>
          {entry.ids.join(', ')}
        </Code>
      )}
    </Stack>
  );
}

export function ChatView({ call }: { call: LlmCall }) {
  const count = (n: number | null) => (n === null ? '—' : formatCount(n));
  return (
    <Stack gap="sm">
      <Group gap="lg">
        <Text size="sm">
          <Text span c="dimmed">
            Model{' '}
          </Text>
          <Text span ff="monospace" data-testid="llm-model">
            {call.model ?? 'unknown'}
          </Text>
        </Text>
        <Text size="sm" data-testid="llm-tokens">
          <Text span c="dimmed">
            Tokens{' '}
          </Text>
          {count(call.promptTokens)} prompt · {count(call.completionTokens)} completion · {count(call.totalTokens)}{' '}
          total
        </Text>
      </Group>
      {call.messages.length === 0 ? (
        <Text size="sm" c="dimmed">
          This LLM call carries no prompt or completion attributes.
        </Text>
      ) : (
        call.messages.map((message) => <MessageView key={`${message.side}.${message.index}`} message={message} />)
      )}
      {call.tokenIds.length > 0 && (
        <Stack gap="xs" mt="xs">
          <Text size="sm" fw={600}>
            Token ids
          </Text>
          {call.tokenIds.map((entry) => (
            <TokenIdsRow key={entry.key} entry={entry} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}
