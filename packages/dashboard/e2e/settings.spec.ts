import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const LIGHT_BODY = 'rgb(255, 255, 255)';
const DARK_BODY = 'rgb(36, 36, 36)'; // Mantine's dark-7, the dark body colour

const bodyBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

async function choose(page: Page, field: string, option: string) {
  await page.getByRole('textbox', { name: field }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('the theme switches visibly and is remembered across reloads', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/settings');
  await expect.poll(() => bodyBackground(page)).toBe(LIGHT_BODY);

  await choose(page, 'Theme', 'Dark');
  await expect.poll(() => bodyBackground(page)).toBe(DARK_BODY);
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');

  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Theme' })).toHaveValue('Dark');
  await expect.poll(() => bodyBackground(page)).toBe(DARK_BODY);

  await choose(page, 'Theme', 'Light');
  await expect.poll(() => bodyBackground(page)).toBe(LIGHT_BODY);
});

test('System default follows prefers-color-scheme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/settings');
  await expect(page.getByRole('textbox', { name: 'Theme' })).toHaveValue('System default');
  await expect.poll(() => bodyBackground(page)).toBe(DARK_BODY);

  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => bodyBackground(page)).toBe(LIGHT_BODY);
});

test('auto-refresh polls at the chosen interval', async ({ page }) => {
  await page.goto('/settings');
  await choose(page, 'Auto-refresh interval', '5 s');
  const isRollouts = (url: string) => url.endsWith('/agl/v1/rollouts');
  const firstLoad = page.waitForResponse((r) => isRollouts(r.url()));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rollouts' }).click();
  await firstLoad;
  // The next request comes by itself, about 5 s later.
  const loadedAt = Date.now();
  await page.waitForRequest((r) => isRollouts(r.url()), { timeout: 12_000 });
  expect(Date.now() - loadedAt).toBeGreaterThan(3_000);
});

test('an invalid backend address is explained and not applied', async ({ page, store }) => {
  await page.goto('/settings');
  const input = page.getByRole('textbox', { name: 'Backend address' });
  await expect(input).toHaveValue(store.url);
  await input.fill('localhost:4747');
  await expect(page.getByText('The address must start with http:// or https://')).toBeVisible();
  await input.press('Enter');
  await expect(page.getByTestId('connection-base-url')).toHaveText(store.url);
});

test('changing the backend address re-targets requests to another store', async ({ page, store, startStore }) => {
  // A dashboard served by `store` calling `second` is cross-origin, so `second` must allow it.
  const second = await startStore({ corsOrigins: [store.url] });
  const seeded = await second.client.enqueueRollout({ input: { task: 'only on the second store' } });

  await page.goto('/settings');
  const input = page.getByRole('textbox', { name: 'Backend address' });
  await input.fill(second.url);
  const health = page.waitForRequest((r) => r.url() === `${second.url}/agl/v1/health`);
  await input.press('Enter');
  await health;
  await expect(page.getByTestId('connection-base-url')).toHaveText(second.url);
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'connected');

  const rollouts = page.waitForResponse((r) => r.url() === `${second.url}/agl/v1/rollouts`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rollouts' }).click();
  const body = (await (await rollouts).json()) as { rollout_id: string }[];
  expect(body.map((r) => r.rollout_id)).toEqual([seeded.rollout_id]);
  await expect(page.getByText(seeded.rollout_id).first()).toBeVisible();

  // The choice survives a reload (it is read from local storage before the first request).
  const afterReload = page.waitForRequest((r) => r.url().startsWith(`${second.url}/agl/v1/`));
  await page.reload();
  await afterReload;
});
