import { useState } from 'react';
import { Alert, Button, Code, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { apiKeyPromptDismissed, apiKeySubmitted } from '../../app/slices/apiKeyPrompt';
import { selectBaseUrl } from '../../app/slices/serverConfig';

/**
 * Asks for the store's API key after a request answered 401 (app/slices/apiKeyPrompt.ts decides when). Save keeps the
 * key and retries what failed; Cancel leaves the 401 errors on screen and does not ask again until the key or the
 * address changes.
 */
export function ApiKeyPrompt() {
  const { status, refused } = useAppSelector((state) => state.ui.apiKeyPrompt);
  const baseUrl = useAppSelector(selectBaseUrl);
  const dispatch = useAppDispatch();
  const [key, setKey] = useState('');
  const opened = status === 'open';

  const close = () => {
    setKey('');
    dispatch(apiKeyPromptDismissed());
  };

  return (
    <Modal opened={opened} onClose={close} title="API key required" centered data-testid="api-key-prompt">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (key.trim() === '') return;
          dispatch(apiKeySubmitted(key));
          setKey('');
        }}
      >
        <Stack gap="sm">
          <Text size="sm">
            The store at <Code>{baseUrl}</Code> only answers requests that carry its API key. Whoever started it chose
            the key with <Code style={{ whiteSpace: 'nowrap' }}>--api-key</Code> or the <Code>AGL_KEY</Code> environment
            variable.
          </Text>
          {refused && (
            <Alert color="red" variant="light" p="xs" data-testid="api-key-refused">
              That key was refused. Check it and try again.
            </Alert>
          )}
          <PasswordInput
            label="API key"
            value={key}
            onChange={(event) => setKey(event.currentTarget.value)}
            leftSection={<IconKey size={16} />}
            autoComplete="off"
            spellCheck={false}
            // Mantine hides the reveal button from assistive technology unless it is given a name.
            visibilityToggleButtonProps={{ 'aria-label': 'Show or hide the API key' }}
            data-autofocus
          />
          <Text size="xs" c="dimmed">
            Kept in this browser and sent with every request; change or remove it in Settings.
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" disabled={key.trim() === ''}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
