import { Card, Stack, Text, Title } from '@mantine/core';
import { ApiKeyInput } from './ApiKeyInput';
import { AutoRefreshSelect } from './AutoRefreshSelect';
import { BackendAddressInput } from './BackendAddressInput';
import { ThemeSelect } from './ThemeSelect';

/** Settings act at once (no save button) and are remembered across reloads (app/persistence.ts). */
export function SettingsPage() {
  return (
    <Stack gap="md" maw={560} data-testid="settings-page">
      <div>
        <Title order={2}>Settings</Title>
        <Text size="sm" c="dimmed">
          Changes apply immediately and are remembered in this browser.
        </Text>
      </div>
      <Card withBorder padding="lg">
        <Stack gap="lg">
          <AutoRefreshSelect />
          <BackendAddressInput />
          <ApiKeyInput />
          <ThemeSelect />
        </Stack>
      </Card>
    </Stack>
  );
}
