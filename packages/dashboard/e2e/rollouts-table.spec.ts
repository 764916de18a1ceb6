/**
 * The Rollouts page end to end, part 2: sorting by every column, the filters, the search and paging, against the
 * real store.
 */
import { expect, test } from '@playwright/test';
import {
  ALL_COLUMNS,
  BULK,
  columnTexts,
  expectSorted,
  openRollouts,
  pick,
  seededStoreForThisFile,
  visibleIds,
} from './rolloutsPage';

const ctx = seededStoreForThisFile();

test('sorts by every column, both ways, newest start time first by default', async ({ page }) => {
  await openRollouts(page, ctx.store);
  const header = (name: string) => page.getByRole('columnheader', { name });
  await expect(header('Start Time')).toHaveAttribute('aria-sort', 'descending');
  expectSorted('Start Time', await columnTexts(page, 'Start Time'), 'desc');

  for (const column of ALL_COLUMNS) {
    await header(column).getByRole('button').click();
    await expect(header(column)).toHaveAttribute('aria-sort', 'ascending');
    expectSorted(column, await columnTexts(page, column), 'asc');
    await header(column).getByRole('button').click();
    await expect(header(column)).toHaveAttribute('aria-sort', 'descending');
    expectSorted(column, await columnTexts(page, column), 'desc');
  }
  // Sorting by Rollout puts the smallest ID first.
  await header('Rollout').getByRole('button').click();
  const allIds = [
    ctx.seeded.queued,
    ctx.seeded.running,
    ctx.seeded.retried,
    ctx.seeded.failed,
    ctx.seeded.succeeded,
    ctx.seeded.cancelled,
  ];
  const smallest = [...allIds, ctx.seeded.timeout, ctx.seeded.unresponsive, ...ctx.seeded.bulk].sort()[0]!;
  await expect(page.getByTestId('rollout-row').first()).toHaveAttribute('data-key', smallest);
});

test('filters each categorical column with multi-select, and clears them', async ({ page }) => {
  await openRollouts(page, ctx.store);
  const count = page.getByTestId('rollouts-count');

  await pick(page, 'Status', 'timeout');
  await expect.poll(() => visibleIds(page)).toEqual([ctx.seeded.timeout]);
  await pick(page, 'Status', 'cancelled');
  await expect
    .poll(async () => (await visibleIds(page)).sort())
    .toEqual([ctx.seeded.timeout, ctx.seeded.cancelled].sort());
  await expect(count).toHaveText(`Showing 1–2 of 2 (filtered from ${ctx.total})`);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(count).toHaveText(`Showing 1–100 of ${ctx.total}`);

  await pick(page, 'Mode', 'test');
  await expect.poll(() => visibleIds(page)).toEqual([ctx.seeded.failed]);
  await pick(page, 'Mode', 'val');
  await expect
    .poll(async () => (await visibleIds(page)).sort())
    .toEqual([ctx.seeded.failed, ctx.seeded.queued, ctx.seeded.cancelled].sort());
  await page.getByRole('button', { name: 'Clear filters' }).click();

  await pick(page, 'Resources ID', 'rs-e2e-b');
  await expect.poll(async () => (await visibleIds(page)).sort()).toEqual([ctx.seeded.queued, ctx.seeded.failed].sort());
  await page.getByRole('button', { name: 'Clear filters' }).click();

  await pick(page, 'Worker ID', 'worker-3');
  await expect
    .poll(async () => (await visibleIds(page)).sort())
    .toEqual([ctx.seeded.succeeded, ctx.seeded.cancelled].sort());
  await page.getByRole('button', { name: 'Clear filters' }).click();

  // "N/A" selects the rollouts without a worker: the queued ones (no attempt) and the two no worker claimed.
  await pick(page, 'Worker ID', 'N/A');
  await expect(count).toHaveText(`Showing 1–100 of ${BULK + 3} (filtered from ${ctx.total})`);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByRole('button', { name: 'Clear filters' })).toBeDisabled();
});

test('searches rollout IDs by substring', async ({ page }) => {
  await openRollouts(page, ctx.store);
  const search = page.getByRole('textbox', { name: 'Search' });
  await search.fill(ctx.seeded.retried.slice(4, 11).toUpperCase());
  await expect.poll(() => visibleIds(page)).toEqual([ctx.seeded.retried]);
  await search.fill('no-such-rollout');
  await expect(page.getByText('No rollouts match the filters.')).toBeVisible();
  await expect(page.getByTestId('rollouts-count')).toHaveText(`Showing 0 of 0 (filtered from ${ctx.total})`);
  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(page.getByTestId('rollout-row')).toHaveCount(100);
});

test('pages through more than 100 rollouts and changes the page size', async ({ page }) => {
  await openRollouts(page, ctx.store);
  const count = page.getByTestId('rollouts-count');
  await expect(count).toHaveText(`Showing 1–100 of ${ctx.total}`);
  await expect(page.getByTestId('rollout-row')).toHaveCount(100);
  await page.getByRole('button', { name: '2', exact: true }).click();
  await expect(count).toHaveText(`Showing 101–${ctx.total} of ${ctx.total}`);
  await expect(page.getByTestId('rollout-row')).toHaveCount(ctx.total - 100);
  // A smaller page keeps the first visible row on screen.
  await page.getByRole('textbox', { name: 'Rows per page' }).click();
  await page.getByRole('option', { name: '25 / page' }).click();
  await expect(count).toHaveText(`Showing 101–125 of ${ctx.total}`);
  await expect(page.getByTestId('rollout-row')).toHaveCount(25);
});
