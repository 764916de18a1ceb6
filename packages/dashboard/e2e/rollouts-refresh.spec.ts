/**
 * The Rollouts page end to end, part 3: auto-refresh against the real store — a new rollout shows up within one
 * interval without losing sort, filter or page, and an unchanged store costs a 304 and no DOM change.
 */
import { expect, test } from '@playwright/test';
import { BULK, pick, seededStoreForThisFile, visibleIds } from './rolloutsPage';

const ctx = seededStoreForThisFile();

test('auto-refresh picks up a new rollout within one interval and keeps sort, filter and page', async ({ page }) => {
  await page.goto(`${ctx.store.url}/settings`);
  await page.getByRole('textbox', { name: 'Auto-refresh interval' }).click();
  await page.getByRole('option', { name: '5 s', exact: true }).click();
  await page.getByRole('link', { name: 'Rollouts' }).click();
  await expect(page.getByTestId('rollout-row').first()).toBeVisible({ timeout: 20_000 });

  await page.getByRole('columnheader', { name: 'Rollout' }).getByRole('button').click();
  await pick(page, 'Mode', 'train');
  const trainCount = BULK + 5; // running, retried, succeeded, timeout, unresponsive and the bulk
  const count = page.getByTestId('rollouts-count');
  await expect(count).toHaveText(`Showing 1–100 of ${trainCount} (filtered from ${ctx.total})`);
  await page.getByRole('button', { name: '2', exact: true }).click();
  await expect(count).toHaveText(`Showing 101–${trainCount} of ${trainCount} (filtered from ${ctx.total})`);

  const added = await ctx.store.client.enqueueRollout({ input: 'late', mode: 'train' });
  await expect(count).toHaveText(
    `Showing 101–${trainCount + 1} of ${trainCount + 1} (filtered from ${ctx.total + 1})`,
    {
      timeout: 5_000 + 2_000,
    },
  );
  await expect(page.getByRole('columnheader', { name: 'Rollout' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.getByRole('button', { name: '2', exact: true })).toHaveAttribute('data-active', 'true');
  const ids = (await visibleIds(page)) as string[];
  expect(ids).toEqual([...ids].sort());
  if (added.rollout_id > ids[0]!) expect(ids).toContain(added.rollout_id);

  // Nothing changed since: the next poll is a 304 and the table's DOM stays as it is (live clocks aside).
  await page.evaluate(() => {
    const state = window as unknown as { __mutations: number };
    state.__mutations = 0;
    new MutationObserver((records) => {
      for (const record of records) {
        const target = record.target instanceof Element ? record.target : record.target.parentElement;
        if (!target?.closest('[data-ticking]')) state.__mutations++;
      }
    }).observe(document.querySelector('[data-testid=rollouts-table]')!, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
  });
  const notModified = await page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/agl/v1/rollouts' && r.request().method() === 'GET',
    { timeout: 7_000 },
  );
  expect(notModified.status()).toBe(304);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __mutations: number }).__mutations)).toBe(0);
});
