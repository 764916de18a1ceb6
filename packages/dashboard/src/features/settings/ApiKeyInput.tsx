import { useState } from 'react';
import { Code, PasswordInput } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { selectApiKey, setApiKey } from '../../app/slices/serverConfig';

/**
 * The store's API key, for a store started with `--api-key`. Applied when the field is left or on Enter, never per
 * keystroke: half a key would only earn 401s.
 */
export function ApiKeyInput() {
  const apiKey = useAppSelector(selectApiKey);
  const dispatch = useAppDispatch();
  const [text, setText] = useState(apiKey);
  // The prompt after a 401 can set the key while this page is open: show what is in effect.
  const [applied, setApplied] = useState(apiKey);
  if (applied !== apiKey) {
    setApplied(apiKey);
    setText(apiKey);
  }

  const apply = () => {
    if (text.trim() !== apiKey) dispatch(setApiKey(text));
  };

  return (
    <PasswordInput
      label="API key"
      description={
        <>
          Only for a store started with{' '}
          <Code fz="xs" style={{ whiteSpace: 'nowrap' }}>
            --api-key
          </Code>{' '}
          (or <Code fz="xs">AGL_KEY</Code>). Sent as a bearer token with every request and kept in this browser only.
          One key for whichever backend address is set; leave empty for none.
        </>
      }
      placeholder="None"
      value={text}
      onChange={(event) => setText(event.currentTarget.value)}
      onBlur={apply}
      onKeyDown={(event) => {
        if (event.key === 'Enter') apply();
      }}
      leftSection={<IconKey size={16} />}
      autoComplete="off"
      spellCheck={false}
      // Mantine hides the reveal button from assistive technology unless it is given a name.
      visibilityToggleButtonProps={{ 'aria-label': 'Show or hide the API key' }}
    />
  );
}
