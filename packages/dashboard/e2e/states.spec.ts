/**
 * Empty and error states of every data page against real stores: an empty store, a store that is not there, and a
 * store whose reads fail with 500 (a fault preloaded into the real server, e2e/faults/failing-store.mjs). Each page
 * must say which case it is in rather than show a blank table or a spinner forever.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { freePort, type StartStoreOptions } from './store';
import { expect, test, type StoreServer } from './fixtures';

const FAULTS = fileURLToPath(new URL('./faults/failing-store.mjs', import.meta.url));
const SETTINGS_KEY = 'agl-dashboard.settings.v1';

/** A store whose named LightningStore operations throw (500 with `Internal server error`). */
const failingStore = (start: (options?: StartStoreOptions) => Promise<StoreServer>, operations: string[]) =>
  start({ nodeArgs: ['--import', FAULTS], env: { E2E_FAILING_OPERATIONS: operations.join(',') } });

/** Points the dashboard at `baseUrl` before its first request, with auto-refresh off. */
async function useBackend(page: Page, baseUrl: string) {
  await page.addInitScript(([key, settings]) => localStorage.setItem(key, settings), [
    SETTINGS_KEY,
    JSON.stringify({ serverConfig: { baseUrl, autoRefreshMs: 0 } }),
  ] as const);
}

const errorState = (page: Page) => page.getByTestId('error-state');
const emptyState = (page: Page) => page.getByTestId('empty-state');

test('an empty store: every page says there is nothing yet, and where it will come from', async ({
  page,
  startStore,
}) => {
  const empty = await startStore();
  await useBackend(page, empty.url);
  await page.goto(`${empty.url}/rollouts`);
  await expect(emptyState(page)).toContainText('No rollouts yet');
  await expect(page.getByTestId('rollout-row')).toHaveCount(0);

  await page.getByRole('link', { name: 'Resources' }).click();
  await expect(emptyState(page)).toContainText('No resources yet');
  await expect(emptyState(page)).toContainText('POST /agl/v1/resources');

  await page.getByRole('link', { name: 'Traces' }).click();
  await expect(emptyState(page)).toContainText('No rollout selected');

  // A rollout with an attempt but no spans yet. Auto-refresh is off, so the Rollouts page still shows the empty list
  // it loaded, and its Refresh button brings the new rollout. Its traces are the span list's own empty state.
  const rollout = await empty.client.startRollout({ input: 'no spans yet' });
  await page.getByRole('link', { name: 'Rollouts' }).click();
  await emptyState(page).getByRole('button', { name: 'Refresh' }).click();
  await page
    .getByRole('button', { name: `View traces of ${rollout.rollout_id} / ${rollout.attempt.attempt_id}` })
    .click();
  await expect(emptyState(page)).toContainText('No spans yet');
  await expect(errorState(page)).toHaveCount(0);
});

test('a store that is not there: the data pages show an error with a retry, and the footer says unreachable', async ({
  page,
}) => {
  // The dashboard is served by the worker's store but talks to a port nothing listens on.
  await useBackend(page, `http://127.0.0.1:${await freePort()}`);
  await page.goto('/rollouts');
  await expect(errorState(page)).toContainText('Could not load rollouts', { timeout: 15_000 });
  await expect(errorState(page).getByRole('button', { name: 'Retry' })).toBeVisible();
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'unreachable', {
    timeout: 15_000,
  });

  await page.getByRole('link', { name: 'Resources' }).click();
  await expect(errorState(page)).toContainText('Could not load resources', { timeout: 15_000 });
  await expect(errorState(page).getByRole('button', { name: 'Retry' })).toBeVisible();

  await page.getByRole('link', { name: 'Traces' }).click();
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'unreachable');
});

test('a store whose list reads fail: Rollouts and Resources show its 500', async ({ page, startStore }) => {
  const store = await failingStore(startStore, ['listRolloutsJson', 'listRollouts', 'listResources']);
  await page.goto(`${store.url}/rollouts`);
  await expect(errorState(page)).toContainText('Could not load rollouts', { timeout: 15_000 });
  await expect(errorState(page)).toContainText('Internal server error');
  // The store itself answers (only its reads fail), so the footer does not blame the connection.
  await expect(page.getByTestId('connection-indicator')).toHaveAttribute('data-state', 'connected');

  await page.getByRole('link', { name: 'Resources' }).click();
  await expect(errorState(page)).toContainText('Could not load resources', { timeout: 15_000 });
  await expect(errorState(page)).toContainText('Internal server error');
});

test('a store whose span and attempt reads fail: the Traces page and a rollout’s attempts show the error', async ({
  page,
  startStore,
}) => {
  const store = await failingStore(startStore, ['querySpans', 'listAttempts']);
  const rollout = await store.client.startRollout({ input: 'failing reads' });
  await store.client.updateAttempt(rollout.rollout_id, rollout.attempt.attempt_id, { status: 'failed' });
  const retry = await store.client.startAttempt(rollout.rollout_id);

  await page.goto(`${store.url}/rollouts`);
  await page.getByRole('button', { name: `Show attempts of ${rollout.rollout_id}` }).click();
  const nested = page.getByRole('region', { name: `Attempts of ${rollout.rollout_id}` });
  await expect(nested.getByTestId('error-state')).toContainText('Could not load attempts', { timeout: 15_000 });
  await expect(nested.getByTestId('error-state')).toContainText('Internal server error');

  await page
    .getByRole('button', { name: `View traces of ${rollout.rollout_id} / ${retry.attempt.attempt_id}` })
    .first()
    .click();
  await expect(page).toHaveURL(/\/traces$/);
  await expect(errorState(page)).toContainText('Could not load spans', { timeout: 15_000 });
  await expect(errorState(page)).toContainText('Internal server error');
});
