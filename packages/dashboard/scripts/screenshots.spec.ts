/**
 * Screenshots of every page in light and dark, against a real store seeded through the API, into
 * docs/screenshots/. Not part of `npm test`: run `npx playwright test -c packages/dashboard/playwright.screenshots.config.ts`.
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from '../e2e/fixtures';
import { seedStore } from './seed';

const OUT = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const PAGES = ['rollouts', 'resources', 'traces', 'settings'] as const;
const THEMES = ['light', 'dark'] as const;

test.beforeAll(async ({ store }) => {
  await seedStore(store);
});

for (const theme of THEMES) {
  for (const name of PAGES) {
    test(`${name} (${theme})`, async ({ page, store }) => {
      await page.addInitScript(
        ([url, mode]) => {
          localStorage.setItem(
            'agl-dashboard.settings.v1',
            JSON.stringify({ serverConfig: { baseUrl: url, autoRefreshMs: 0 }, theme: { mode } }),
          );
        },
        [store.url, theme],
      );
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`/${name}`);
      await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'connected');
      await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-refreshing', 'false');
      await expect(page.getByTestId('loading-state')).toHaveCount(0);
      await page.waitForTimeout(400); // let transitions settle
      await page.screenshot({ path: `${OUT}${name}-${theme}.png` });
    });
  }
}

for (const theme of THEMES) {
  test(`raw JSON drawer (${theme})`, async ({ page, store }) => {
    await page.addInitScript(
      ([url, mode]) => {
        localStorage.setItem(
          'agl-dashboard.settings.v1',
          JSON.stringify({ serverConfig: { baseUrl: url, autoRefreshMs: 0 }, theme: { mode } }),
        );
      },
      [store.url, theme],
    );
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/rollouts');
    await page
      .getByRole('button', { name: /raw json/i })
      .first()
      .click();
    await expect(page.getByTestId('json-highlighted')).toBeVisible();
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${OUT}drawer-raw-json-${theme}.png` });
  });
}
