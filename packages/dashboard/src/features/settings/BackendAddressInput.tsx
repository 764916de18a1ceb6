import { useState } from 'react';
import { Anchor, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { API_PREFIX } from '@agl/schemas';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { selectBaseUrl, setBaseUrl } from '../../app/slices/serverConfig';
import { checkBaseUrl, defaultBaseUrl } from '../../lib/baseUrl';

/** Valid addresses apply after a short pause in typing (or at once on Enter / leaving the field). */
const APPLY_DELAY_MS = 500;

export function BackendAddressInput() {
  const baseUrl = useAppSelector(selectBaseUrl);
  const dispatch = useAppDispatch();
  const [text, setText] = useState(baseUrl);
  const check = checkBaseUrl(text);

  const apply = (value: string) => {
    const result = checkBaseUrl(value);
    if (result.ok) dispatch(setBaseUrl(result.value));
  };
  // Typing "http://127.0.0.1:4747" passes through valid prefixes such as "http://127.0.0.1:4"; waiting for a pause
  // keeps those from re-targeting every request and raising "unreachable" toasts mid-word.
  const applyDebounced = useDebouncedCallback(apply, APPLY_DELAY_MS);

  const origin = defaultBaseUrl();
  return (
    <TextInput
      label="Backend address"
      description={
        <>
          The store the dashboard talks to (without <code>{API_PREFIX}</code>). Default: this page&apos;s origin
          {baseUrl !== origin && (
            <>
              {' '}
              —{' '}
              <Anchor
                component="button"
                type="button"
                size="xs"
                onClick={() => {
                  setText(origin);
                  apply(origin);
                }}
              >
                reset to {origin}
              </Anchor>
            </>
          )}
          .
        </>
      }
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        applyDebounced(event.currentTarget.value);
      }}
      onBlur={() => apply(text)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') apply(text);
      }}
      error={check.ok ? undefined : check.error}
      spellCheck={false}
      autoComplete="url"
      inputMode="url"
    />
  );
}
