import { describe, expect, it } from 'vitest';
import { render } from 'vitest-browser-react';
import { MantineProvider } from '@mantine/core';
import '@mantine/core/styles.css';
import { HIGHLIGHT_LIMIT_CHARS, JsonBlock } from './JsonBlock';

const renderBlock = (value: unknown) =>
  render(
    <MantineProvider>
      <JsonBlock value={value} label="Raw JSON" />
    </MantineProvider>,
  );

describe('JsonBlock in Chromium', () => {
  it('loads the highlighter lazily and colours JSON keys', async () => {
    const screen = await renderBlock({ rollout_id: 'ro-1', attempts: 2 });
    await expect.element(screen.getByTestId('json-highlighted')).toBeVisible();
    const key = screen.container.querySelector('.hljs-attr');
    expect(key?.textContent).toBe('"rollout_id"');
    expect(getComputedStyle(key!).color).not.toBe(getComputedStyle(screen.container).color);
    await expect.element(screen.getByRole('button', { name: 'Copy JSON' })).toBeVisible();
  });

  it('shows very large JSON plain instead of freezing the tab', async () => {
    const big = { blob: 'x'.repeat(HIGHLIGHT_LIMIT_CHARS + 1) };
    const screen = await renderBlock(big);
    await expect.element(screen.getByTestId('json-plain')).toBeVisible();
    expect(screen.container.querySelector('[data-testid="json-highlighted"]')).toBeNull();
  });
});
