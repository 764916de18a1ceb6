import { lazy, Suspense, useMemo } from 'react';
import { Button, Code, CopyButton, Group, ScrollArea, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

// code-highlight + highlight.js are a separate chunk, fetched the first time a JSON block is shown.
const JsonHighlight = lazy(() => import('./JsonHighlight'));

/** Above this many characters the JSON is shown plain: highlighting megabytes would freeze the tab. */
export const HIGHLIGHT_LIMIT_CHARS = 200_000;

export interface JsonBlockProps {
  value: unknown;
  /** Shown above the block, next to the copy button. */
  label?: string;
  maxHeight?: number | string;
}

function PlainJson({ code, maxHeight }: { code: string; maxHeight?: number | string }) {
  return (
    <ScrollArea.Autosize mah={maxHeight}>
      <Code block data-testid="json-plain">
        {code}
      </Code>
    </ScrollArea.Autosize>
  );
}

/** Pretty, highlighted, copyable JSON of API data (never editable: that is JsonInput, in Settings only). */
export function JsonBlock({ value, label, maxHeight }: JsonBlockProps) {
  const code = useMemo(() => JSON.stringify(value, null, 2) ?? 'undefined', [value]);
  return (
    <Stack gap="xs" data-testid="json-block">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" c="dimmed" truncate="end">
          {label}
        </Text>
        <CopyButton value={code} timeout={1500}>
          {({ copied, copy }) => (
            <Button
              size="xs"
              variant="light"
              color={copied ? 'teal' : undefined}
              leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
              onClick={copy}
            >
              {copied ? 'Copied' : 'Copy JSON'}
            </Button>
          )}
        </CopyButton>
      </Group>
      {code.length > HIGHLIGHT_LIMIT_CHARS ? (
        <PlainJson code={code} maxHeight={maxHeight} />
      ) : (
        <Suspense fallback={<PlainJson code={code} maxHeight={maxHeight} />}>
          <JsonHighlight code={code} maxHeight={maxHeight} />
        </Suspense>
      )}
    </Stack>
  );
}
