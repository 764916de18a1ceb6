/**
 * One named resource. LLM endpoints show endpoint, model and sampling parameters, with the API key masked until
 * the user explicitly reveals it; prompt templates show their engine and the template as code (plain text).
 */
import { useState } from 'react';
import { ActionIcon, Badge, Code, Group, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconEye, IconEyeOff } from '@tabler/icons-react';
import { maskApiKey, type ResourceView } from '../lib/namedResources';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={90} flex="none">
        {label}
      </Text>
      <div style={{ minWidth: 0, flex: 1 }}>{children}</div>
    </Group>
  );
}

function ApiKey({ value }: { value: string | null }) {
  const [revealed, setRevealed] = useState(false);
  if (value === null) {
    return (
      <Text size="sm" c="dimmed">
        not set
      </Text>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" ff="monospace" data-testid="api-key" style={{ wordBreak: 'break-all' }}>
        {revealed ? value : maskApiKey(value)}
      </Text>
      <Tooltip label={revealed ? 'Hide key' : 'Reveal key'} withArrow>
        <ActionIcon
          size="sm"
          variant="subtle"
          color="gray"
          onClick={() => setRevealed((r) => !r)}
          aria-label={revealed ? 'Hide API key' : 'Reveal API key'}
        >
          {revealed ? <IconEyeOff size={14} /> : <IconEye size={14} />}
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}

export function ResourceCard({ view }: { view: ResourceView }) {
  return (
    <Paper withBorder p="md" radius="sm" data-testid="resource-card" data-name={view.name}>
      <Group gap="xs" mb="sm">
        <Text fw={700} ff="monospace">
          {view.name}
        </Text>
        <Badge size="sm" variant="light" tt="none" color={view.kind === 'prompt_template' ? 'indigo' : 'grape'}>
          {view.kind === 'llm' ? view.resourceType : view.kind === 'unknown' ? view.resourceType : 'prompt_template'}
        </Badge>
      </Group>
      {view.kind === 'llm' && (
        <Stack gap={6}>
          <Field label="Endpoint">
            <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {view.endpoint}
            </Text>
          </Field>
          <Field label="Model">
            <Text size="sm" ff="monospace">
              {view.model}
            </Text>
          </Field>
          <Field label="API key">
            <ApiKey value={view.apiKey} />
          </Field>
          <Field label="Sampling">
            {view.sampling.length === 0 ? (
              <Text size="sm" c="dimmed">
                defaults
              </Text>
            ) : (
              <Table
                withRowBorders={false}
                verticalSpacing={2}
                horizontalSpacing={0}
                fz="sm"
                aria-label="Sampling parameters"
              >
                <Table.Tbody>
                  {view.sampling.map(([key, value]) => (
                    <Table.Tr key={key}>
                      <Table.Td w={140} ff="monospace">
                        {key}
                      </Table.Td>
                      <Table.Td ff="monospace">{value}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Field>
        </Stack>
      )}
      {view.kind === 'prompt_template' && (
        <Stack gap={6}>
          <Field label="Engine">
            <Badge size="sm" variant="default" tt="none">
              {view.engine}
            </Badge>
          </Field>
          <Code block data-testid="prompt-template" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {view.template}
          </Code>
        </Stack>
      )}
      {view.kind === 'unknown' && (
        <Code block style={{ whiteSpace: 'pre-wrap' }}>
          {view.json}
        </Code>
      )}
    </Paper>
  );
}
