import { expect, test } from './fixtures';

test('the indicator turns unreachable when the store stops and connected when it restarts', async ({
  page,
  startStore,
}) => {
  const own = await startStore();
  await page.goto(`${own.url}/settings`);
  const indicator = page.getByTestId('connection-indicator');
  await expect(indicator).toHaveAttribute('data-state', 'connected');

  await own.stop();
  await expect(indicator).toHaveAttribute('data-state', 'unreachable', { timeout: 6_000 });
  await expect(indicator).toContainText('Unreachable');
  await expect(page.getByText('Store unreachable')).toBeVisible();

  await own.restart();
  await expect(indicator).toHaveAttribute('data-state', 'connected', { timeout: 6_000 });
  await expect(page.getByText('Store reachable again')).toBeVisible();
});

test('"Refreshing" blinks while a slow refresh is in flight', async ({ page }) => {
  await page.route('**/agl/v1/rollouts', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await route.continue();
  });
  await page.goto('/rollouts');
  const indicator = page.getByTestId('connection-indicator');
  await expect(indicator).toHaveAttribute('data-refreshing', 'true');
  await expect(indicator.getByText('Refreshing')).toBeVisible();
  await expect(indicator).toHaveAttribute('data-refreshing', 'false', { timeout: 6_000 });
  await expect(indicator).toContainText('Connected');
});
