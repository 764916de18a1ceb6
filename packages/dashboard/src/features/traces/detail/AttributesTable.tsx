/**
 * Attributes as a key/value table. Values are text (never HTML); JSON text is pretty-printed; long values are
 * collapsed behind "Show more"; token-id lists are left to the chat view's counts when `hideTokenIds` is set.
 */
import { Code, Spoiler, Table, Text } from '@mantine/core';
import type { AttributeValue } from '@agl/schemas';
import { displayAttributeValue, sortedAttributes } from '../lib/attributes';
import { isTokenIdsKey } from '../lib/llm';

export function AttributeValueView({ value }: { value: AttributeValue }) {
  const display = displayAttributeValue(value);
  const body = display.json ? (
    <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {display.text}
    </Code>
  ) : (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {display.text}
    </Text>
  );
  if (!display.long) return body;
  return (
    <Spoiler maxHeight={96} showLabel="Show more" hideLabel="Show less" fz="sm">
      {body}
    </Spoiler>
  );
}

export interface AttributesTableProps {
  attributes: Record<string, AttributeValue> | null | undefined;
  /** Shows `N token ids` instead of the list itself for `*token_ids` keys. */
  summarizeTokenIds?: boolean;
  emptyText?: string;
}

export function AttributesTable({
  attributes,
  summarizeTokenIds = true,
  emptyText = 'No attributes',
}: AttributesTableProps) {
  const entries = sortedAttributes(attributes);
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {emptyText}
      </Text>
    );
  }
  return (
    <Table layout="fixed" verticalSpacing={6} withRowBorders aria-label="Attributes">
      <Table.Tbody>
        {entries.map(([key, value]) => (
          <Table.Tr key={key}>
            <Table.Td w="34%" valign="top">
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                {key}
              </Text>
            </Table.Td>
            <Table.Td>
              {summarizeTokenIds && isTokenIdsKey(key) ? (
                <Text size="sm" c="dimmed">
                  {Array.isArray(value) ? `${value.length} token ids` : 'token ids (see Chat)'}
                </Text>
              ) : (
                <AttributeValueView value={value} />
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
