/**
 * A store started with `--api-key`: the dashboard it serves asks for the key on the first 401, keeps quiet after
 * Cancel, says so when a key is refused, and once given the right one sends it with every request and remembers it.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const KEY = 'e2e-key-7f3a9c';
const SETTINGS_KEY = 'agl-dashboard.settings.v1';

const dialog = (page: Page) => page.getByRole('dialog', { name: 'API key required' });
const rolloutsAnswer = (page: Page, status: number) =>
  page.waitForResponse((r) => new URL(r.url()).pathname === '/agl/v1/rollouts' && r.status() === status);

test('asks for the API key once, retries with it and remembers it', async ({ page, startStore }) => {
  const store = await startStore({ apiKey: KEY });
  const seeded = await store.client.enqueueRollout({ input: 'keyed' });

  // Auto-refresh at 5 s, so refused polls keep coming while the prompt is dismissed. Set once: a reload keeps what
  // the page saved since.
  await page.addInitScript(
    ([key, settings]) => {
      if (!localStorage.getItem(key)) localStorage.setItem(key, settings);
    },
    [SETTINGS_KEY, JSON.stringify({ serverConfig: { autoRefreshMs: 5_000 } })] as const,
  );
  await page.goto(`${store.url}/rollouts`);

  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page)).toContainText('--api-key');
  await expect(page.getByTestId('api-key-refused')).toHaveCount(0);

  // Cancel leaves the 401 on screen, and the next refused poll does not ask again.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog(page)).toBeHidden();
  await expect(page.getByTestId('error-state')).toContainText('Invalid or missing API key');
  await rolloutsAnswer(page, 401);
  await expect(dialog(page)).toBeHidden();
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'connected');

  // A wrong key from Settings: the retry is refused, and the prompt says so.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('API key', { exact: true }).fill('not-the-key');
  await page.getByLabel('API key', { exact: true }).press('Enter');
  await page.getByRole('link', { name: 'Rollouts' }).click();
  await expect(dialog(page)).toBeVisible();
  await expect(page.getByTestId('api-key-refused')).toContainText('That key was refused');

  // The right key: the failed query is retried with it and the rows appear.
  const keyed = page.waitForRequest(
    (r) => new URL(r.url()).pathname === '/agl/v1/rollouts' && r.headers().authorization === `Bearer ${KEY}`,
  );
  await dialog(page).getByLabel('API key', { exact: true }).fill(KEY);
  await dialog(page).getByRole('button', { name: 'Save' }).click();
  await keyed;
  await expect(dialog(page)).toBeHidden();
  await expect(page.locator(`[data-testid=rollout-row][data-key="${seeded.rollout_id}"]`)).toBeVisible();

  // Remembered in this browser, never in the address bar; a reload goes straight to the data.
  expect(page.url()).not.toContain(KEY);
  await page.reload();
  await expect(page.locator(`[data-testid=rollout-row][data-key="${seeded.rollout_id}"]`)).toBeVisible();
  await expect(dialog(page)).toBeHidden();
  const saved = await page.evaluate((key) => localStorage.getItem(key), SETTINGS_KEY);
  expect(JSON.parse(saved ?? '{}').serverConfig.apiKey).toBe(KEY);
});
