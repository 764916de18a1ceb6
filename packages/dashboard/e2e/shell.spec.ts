import { expect, test } from './fixtures';

const PAGES = [
  { label: 'Rollouts', path: '/rollouts' },
  { label: 'Resources', path: '/resources' },
  { label: 'Traces', path: '/traces' },
  { label: 'Settings', path: '/settings' },
];

test('/ redirects to /rollouts', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/rollouts$/);
  await expect(page.getByRole('link', { name: 'Rollouts' })).toHaveAttribute('aria-current', 'page');
});

test('every nav link reaches its page and shows the active state', async ({ page }) => {
  await page.goto('/settings');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(page.getByText('Agent-lightning Dashboard')).toBeVisible();
  for (const { label, path } of PAGES) {
    await nav.getByRole('link', { name: label }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(nav.getByRole('link', { name: label })).toHaveAttribute('aria-current', 'page');
    await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
    await expect(page.getByTestId('header-title')).toHaveText(label);
  }
});

test('deep links load their page through the SPA fallback', async ({ page }) => {
  const response = await page.goto('/traces');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('link', { name: 'Traces' })).toHaveAttribute('aria-current', 'page');
});

test('an unknown path shows the not-found page', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByTestId('not-found-page')).toBeVisible();
  await expect(page.getByText('/no/such/page')).toBeVisible();
  await page.getByRole('link', { name: 'Go to Rollouts' }).click();
  await expect(page).toHaveURL(/\/rollouts$/);
});

test('the footer shows the store address and that it is connected', async ({ page, store }) => {
  await page.goto('/settings');
  const indicator = page.getByTestId('connection-indicator');
  await expect(indicator).toHaveAttribute('data-state', 'connected');
  await expect(indicator.getByTestId('connection-base-url')).toHaveText(store.url);
  await expect(indicator).toContainText('Connected');
});
