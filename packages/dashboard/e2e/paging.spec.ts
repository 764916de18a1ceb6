/**
 * Paging against the real store, with enough data to page: the Resources list (20 snapshots a page) and the Traces
 * page's span table (50 spans a page). Each page must show exactly its slice, in the order the page promises.
 */
import type { Locator, Page } from '@playwright/test';
import { makeSpan } from '../../../scripts/lib/spans.mjs';
import { expect, test } from './fixtures';

/** Goes to page `n` of the Mantine pager inside `scope`. */
const goToPage = (scope: Page | Locator, n: number) =>
  scope.getByRole('button', { name: String(n), exact: true }).click();

test('the Resources list shows 20 snapshots a page, newest first, over three pages', async ({ page, startStore }) => {
  const store = await startStore();
  for (let i = 1; i <= 45; i++) {
    await store.client.addResources({
      [`llm_${i}`]: { resource_type: 'llm', endpoint: 'http://127.0.0.1:8000/v1', model: `model-${i}` },
    });
  }
  const newestFirst = (await store.client.listResources()).map((snapshot) => snapshot.resources_id);
  expect(newestFirst).toHaveLength(45);

  await page.goto(`${store.url}/resources`);
  const rows = page.getByRole('table', { name: 'Resource snapshots' }).locator('tbody tr');
  const shown = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-resources-id')));
  await expect(rows).toHaveCount(20);
  expect(await shown()).toEqual(newestFirst.slice(0, 20));

  await goToPage(page, 2);
  await expect(rows.first()).toHaveAttribute('data-resources-id', newestFirst[20]!);
  expect(await shown()).toEqual(newestFirst.slice(20, 40));

  await goToPage(page, 3);
  await expect(rows).toHaveCount(5);
  expect(await shown()).toEqual(newestFirst.slice(40));
  // The detail still shows the latest snapshot: paging the list does not change the selection.
  await expect(page.getByTestId('snapshot-detail').getByRole('heading')).toHaveText(newestFirst[0]!);
});

test('the Traces span table shows 50 spans a page, by start time, over three pages', async ({ page, store }) => {
  const { client } = store;
  const rollout = await client.startRollout({ input: 'many spans' });
  const { rollout_id: rid, attempt } = rollout;
  const aid = attempt.attempt_id;
  // Written out of order; the table sorts by start time, which follows the step number here.
  const steps = Array.from({ length: 120 }, (_, i) => i + 1).reverse();
  for (const step of steps) {
    await client.addSpan(
      makeSpan(rid, aid, step, {
        name: `step-${String(step).padStart(3, '0')}`,
        start_time: 1_750_000_000 + step,
        end_time: 1_750_000_000 + step + 0.5,
      }),
    );
  }

  await page.goto('/rollouts');
  await page.getByRole('button', { name: `View traces of ${rid} / ${aid}` }).click();
  await expect(page.getByRole('tree', { name: 'Spans' })).toBeVisible({ timeout: 15_000 });
  await page.getByText('Table', { exact: true }).click();
  const table = page.getByRole('table', { name: 'Spans table' });
  const names = () => table.locator('tbody tr td:nth-child(2)').allTextContents();
  const expected = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => `step-${String(from + i).padStart(3, '0')}`);

  await expect(table.locator('tbody tr')).toHaveCount(50);
  expect(await names()).toEqual(expected(1, 50));
  const pager = page.getByLabel('Span pages');
  await goToPage(pager, 2);
  await expect(table.locator('tbody tr').first()).toContainText('step-051');
  expect(await names()).toEqual(expected(51, 100));
  await goToPage(pager, 3);
  await expect(table.locator('tbody tr')).toHaveCount(20);
  expect(await names()).toEqual(expected(101, 120));
});
