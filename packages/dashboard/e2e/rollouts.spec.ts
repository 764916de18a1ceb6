/// <reference lib="dom" />
/**
 * The Rollouts page end to end: the built dashboard served by the real store, with data written through the API
 * (rolloutsSeed.ts). This file runs its own store so that other spec files' data never changes its counts.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { RolloutWithAttempt } from '@agl/schemas';
import { LONG_INPUT, seedRollouts, type SeededRollouts } from './rolloutsSeed';
import { startStore, type StoreServer } from './store';

// A zone far from the machine's, so the test proves times are shown in the browser's local zone.
const TIME_ZONE = 'America/New_York';
test.use({ timezoneId: TIME_ZONE, viewport: { width: 1600, height: 1000 } });
// Sorting by ten columns both ways is many round trips; the shared 2-core CI box is slow.
test.describe.configure({ timeout: 90_000 });

const BULK = 120;
let store: StoreServer;
let seeded: SeededRollouts;
let total: number;

test.beforeAll(async () => {
  store = await startStore();
  seeded = await seedRollouts(store, BULK);
  total = BULK + 8;
});

test.afterAll(async () => {
  await store?.stop();
});

const COLUMNS = ['Rollout', 'Attempt', 'Input', 'Status', 'Resources ID', 'Mode', 'Start Time', 'Duration'] as const;
const ALL_COLUMNS = [...COLUMNS, 'Last Heartbeat', 'Worker ID'] as const;
type Column = (typeof ALL_COLUMNS)[number];

async function openRollouts(page: Page) {
  await page.goto(`${store.url}/rollouts`);
  // The first visit pays for the page's chunks and the whole list; a busy machine needs more than the default.
  await expect(page.getByTestId('rollout-row').first()).toBeVisible({ timeout: 20_000 });
}

const rowOf = (page: Page, rolloutId: string) => page.locator(`[data-testid=rollout-row][data-key="${rolloutId}"]`);

/** The texts of one row's data cells, by column name (Actions left out). */
async function cellsOf(row: Locator): Promise<Record<Column, string>> {
  // textContent, not innerText: off-screen cells skip layout (content-visibility), and innerText reads layout.
  const texts = await row.locator(':scope > td').allTextContents();
  return Object.fromEntries(ALL_COLUMNS.map((name, i) => [name, (texts[i] ?? '').trim()])) as Record<Column, string>;
}

/** Every visible rollout row's text in one column, in order. */
async function columnTexts(page: Page, column: Column): Promise<string[]> {
  const index = ALL_COLUMNS.indexOf(column);
  return page
    .getByTestId('rollout-row')
    .evaluateAll((rows, i) => rows.map((row) => (row.children[i]?.textContent ?? '').trim()), index);
}

/** `YYYY-MM-DD HH:mm:ss` in TIME_ZONE, computed independently of the dashboard's formatter. */
function localTime(epochSeconds: number): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(Math.floor(epochSeconds) * 1000));
  const get = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** The spec's "1h 30m 15s" for the short durations these tests produce; under a second in milliseconds. */
function shortDuration(seconds: number): string {
  if (seconds < 1) return `${Math.floor(seconds * 1000)}ms`;
  const whole = Math.floor(seconds);
  return whole < 60 ? `${whole}s` : `${Math.floor(whole / 60)}m ${whole % 60}s`;
}

/** Parses what the Duration and Last Heartbeat cells show back into seconds; N/A → null. */
function seconds(text: string): number | null {
  if (text === 'N/A') return null;
  if (text === 'just now') return 0;
  const ms = /^(\d+)ms$/.exec(text);
  if (ms) return Number(ms[1]) / 1000;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([dhms])/g)) {
    total += Number(n) * { d: 86_400, h: 3_600, m: 60, s: 1 }[unit as 'd' | 'h' | 'm' | 's'];
  }
  return total;
}

const RUNNING_DURATION = /^(\d+ms|\d+s|\d+m \d+s)$/;
const HEARTBEAT_AGE = /^(just now|\d+s ago)$/;

test('every column shows what the spec says, for every kind of rollout', async ({ page }) => {
  const all = await store.api<RolloutWithAttempt[]>('GET', '/rollouts');
  const byId = new Map(all.map((r) => [r.rollout_id, r]));
  const get = (id: string) => byId.get(id)!;
  await openRollouts(page);

  const queued = await cellsOf(rowOf(page, seeded.queued));
  expect(queued).toMatchObject({
    Rollout: seeded.queued,
    Attempt: 'N/A',
    Input: '"What is the capital of France?"',
    Status: 'queuing',
    'Resources ID': 'rs-e2e-b',
    Mode: 'val',
    'Start Time': localTime(get(seeded.queued).start_time),
    'Last Heartbeat': 'N/A',
    'Worker ID': 'N/A',
  });
  expect(queued.Duration).toMatch(RUNNING_DURATION);
  await expect(rowOf(page, seeded.queued).locator('[data-running]')).toBeVisible();

  const running = get(seeded.running);
  const runningCells = await cellsOf(rowOf(page, seeded.running));
  expect(runningCells).toMatchObject({
    Attempt: running.attempt!.attempt_id,
    Input: '{"task":"add","a":1,"b":2}',
    Status: 'running',
    'Resources ID': 'rs-e2e-a',
    Mode: 'train',
    'Start Time': localTime(running.attempt!.start_time),
    'Worker ID': 'worker-1',
  });
  expect(runningCells['Last Heartbeat']).toMatch(HEARTBEAT_AGE);
  // A running attempt counts up, visibly.
  const before = seconds(runningCells.Duration)!;
  await expect
    .poll(async () => seconds((await cellsOf(rowOf(page, seeded.running))).Duration)!, { timeout: 4_000 })
    .toBeGreaterThan(before);

  const retried = get(seeded.retried);
  const retriedCells = await cellsOf(rowOf(page, seeded.retried));
  expect(retriedCells).toMatchObject({
    Attempt: retried.attempt!.attempt_id,
    // JSON cut to 35 characters, the last one an ellipsis.
    Input: `${[...JSON.stringify(LONG_INPUT)].slice(0, 34).join('')}…`,
    Status: 'succeeded',
    'Start Time': localTime(retried.attempt!.start_time),
    Duration: shortDuration(retried.attempt!.end_time! - retried.attempt!.start_time),
    'Worker ID': 'worker-2',
  });
  expect(retriedCells['Last Heartbeat']).toMatch(HEARTBEAT_AGE);
  // The whole input on hover.
  await rowOf(page, seeded.retried).getByTestId('rollout-input').hover();
  await expect(page.getByRole('tooltip')).toContainText('s’il te plaît 🙏');

  const failed = get(seeded.failed);
  expect(await cellsOf(rowOf(page, seeded.failed))).toMatchObject({
    Input: '42',
    Status: 'failed',
    Mode: 'test',
    Duration: shortDuration(failed.attempt!.end_time! - failed.attempt!.start_time),
    'Last Heartbeat': 'N/A',
    'Worker ID': 'worker-2',
  });
  expect(await cellsOf(rowOf(page, seeded.succeeded))).toMatchObject({
    Input: 'null',
    Status: 'succeeded',
    'Worker ID': 'worker-3',
  });

  // Statuses that differ are shown together; the cancelled rollout's attempt stops counting when it was cancelled.
  const cancelled = get(seeded.cancelled);
  expect(await cellsOf(rowOf(page, seeded.cancelled))).toMatchObject({
    Status: 'cancelled - running',
    'Resources ID': 'N/A',
    Duration: shortDuration(cancelled.end_time! - cancelled.attempt!.start_time),
  });
  const timedOut = get(seeded.timeout);
  expect(await cellsOf(rowOf(page, seeded.timeout))).toMatchObject({
    Status: 'failed - timeout',
    Duration: shortDuration(timedOut.end_time! - timedOut.attempt!.start_time),
  });
  const unresponsive = await cellsOf(rowOf(page, seeded.unresponsive));
  expect(unresponsive.Status).toBe('requeuing - unresponsive');
  expect(unresponsive.Duration).toMatch(RUNNING_DURATION);

  // The status badges use the one colour map: a composite status has its own colour.
  await expect(rowOf(page, seeded.cancelled).locator('[data-status="cancelled - running"]')).toBeVisible();
});

/** Sort keys of the visible cells: N/A is null, durations and ages are numbers, anything else its text. */
function keysOf(column: Column, texts: string[]): (string | number | null)[] {
  if (column === 'Duration' || column === 'Last Heartbeat') return texts.map(seconds);
  return texts.map((text) => (text === 'N/A' ? null : text));
}

function expectSorted(column: Column, texts: string[], direction: 'asc' | 'desc') {
  const keys = keysOf(column, texts);
  const firstNull = keys.indexOf(null);
  if (firstNull >= 0)
    expect(
      keys.slice(firstNull).every((k) => k === null),
      `${column}: N/A last`,
    ).toBe(true);
  const present = firstNull >= 0 ? keys.slice(0, firstNull) : keys;
  // Running durations keep counting after the sort, by the same amount for all of them: allow a little slack.
  const slack = column === 'Duration' || column === 'Last Heartbeat' ? 2 : 0;
  for (let i = 1; i < present.length; i++) {
    const [a, b] = [present[i - 1]!, present[i]!];
    const ok =
      typeof a === 'number' && typeof b === 'number'
        ? direction === 'asc'
          ? a <= b + slack
          : a + slack >= b
        : direction === 'asc'
          ? a <= b
          : a >= b;
    expect(ok, `${column} ${direction} at ${i}: ${String(a)} then ${String(b)}`).toBe(true);
  }
}

test('sorts by every column, both ways, newest start time first by default', async ({ page }) => {
  await openRollouts(page);
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
  const allIds = [seeded.queued, seeded.running, seeded.retried, seeded.failed, seeded.succeeded, seeded.cancelled];
  const smallest = [...allIds, seeded.timeout, seeded.unresponsive, ...seeded.bulk].sort()[0]!;
  await expect(page.getByTestId('rollout-row').first()).toHaveAttribute('data-key', smallest);
});

async function pick(page: Page, filter: string, option: string) {
  await page.getByRole('textbox', { name: filter }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await page.keyboard.press('Escape');
}

const visibleIds = (page: Page) =>
  page.getByTestId('rollout-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));

test('filters each categorical column with multi-select, and clears them', async ({ page }) => {
  await openRollouts(page);
  const count = page.getByTestId('rollouts-count');

  await pick(page, 'Status', 'timeout');
  await expect.poll(() => visibleIds(page)).toEqual([seeded.timeout]);
  await pick(page, 'Status', 'cancelled');
  await expect.poll(async () => (await visibleIds(page)).sort()).toEqual([seeded.timeout, seeded.cancelled].sort());
  await expect(count).toHaveText(`Showing 1–2 of 2 (filtered from ${total})`);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(count).toHaveText(`Showing 1–100 of ${total}`);

  await pick(page, 'Mode', 'test');
  await expect.poll(() => visibleIds(page)).toEqual([seeded.failed]);
  await pick(page, 'Mode', 'val');
  await expect
    .poll(async () => (await visibleIds(page)).sort())
    .toEqual([seeded.failed, seeded.queued, seeded.cancelled].sort());
  await page.getByRole('button', { name: 'Clear filters' }).click();

  await pick(page, 'Resources ID', 'rs-e2e-b');
  await expect.poll(async () => (await visibleIds(page)).sort()).toEqual([seeded.queued, seeded.failed].sort());
  await page.getByRole('button', { name: 'Clear filters' }).click();

  await pick(page, 'Worker ID', 'worker-3');
  await expect.poll(async () => (await visibleIds(page)).sort()).toEqual([seeded.succeeded, seeded.cancelled].sort());
  await page.getByRole('button', { name: 'Clear filters' }).click();

  // "N/A" selects the rollouts without a worker: the queued ones (no attempt) and the two no worker claimed.
  await pick(page, 'Worker ID', 'N/A');
  await expect(count).toHaveText(`Showing 1–100 of ${BULK + 3} (filtered from ${total})`);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByRole('button', { name: 'Clear filters' })).toBeDisabled();
});

test('searches rollout IDs by substring', async ({ page }) => {
  await openRollouts(page);
  const search = page.getByRole('textbox', { name: 'Search' });
  await search.fill(seeded.retried.slice(4, 11).toUpperCase());
  await expect.poll(() => visibleIds(page)).toEqual([seeded.retried]);
  await search.fill('no-such-rollout');
  await expect(page.getByText('No rollouts match the filters.')).toBeVisible();
  await expect(page.getByTestId('rollouts-count')).toHaveText(`Showing 0 of 0 (filtered from ${total})`);
  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(page.getByTestId('rollout-row')).toHaveCount(100);
});

test('pages through more than 100 rollouts and changes the page size', async ({ page }) => {
  await openRollouts(page);
  const count = page.getByTestId('rollouts-count');
  await expect(count).toHaveText(`Showing 1–100 of ${total}`);
  await expect(page.getByTestId('rollout-row')).toHaveCount(100);
  await page.getByRole('button', { name: '2', exact: true }).click();
  await expect(count).toHaveText(`Showing 101–${total} of ${total}`);
  await expect(page.getByTestId('rollout-row')).toHaveCount(total - 100);
  // A smaller page keeps the first visible row on screen.
  await page.getByRole('textbox', { name: 'Rows per page' }).click();
  await page.getByRole('option', { name: '25 / page' }).click();
  await expect(count).toHaveText(`Showing 101–125 of ${total}`);
  await expect(page.getByTestId('rollout-row')).toHaveCount(25);
});

test('expands a retried rollout into its attempts, loaded only on demand', async ({ page }) => {
  const attemptRequests: string[] = [];
  page.on('request', (r) => {
    if (/\/agl\/v1\/rollouts\/[^/]+\/attempts$/.test(new URL(r.url()).pathname)) attemptRequests.push(r.url());
  });
  await openRollouts(page);
  // Only rollouts with more than one attempt can expand.
  await expect(page.getByRole('button', { name: /^Show attempts of/ })).toHaveCount(1);
  expect(attemptRequests).toEqual([]);

  await page.getByRole('button', { name: `Show attempts of ${seeded.retried}` }).click();
  const nested = page.getByRole('region', { name: `Attempts of ${seeded.retried}` });
  const rows = nested.getByTestId('attempt-row');
  await expect(rows).toHaveCount(3);
  expect(attemptRequests).toHaveLength(1);
  const attempts = await store.api<{ attempt_id: string }[]>('GET', `/rollouts/${seeded.retried}/attempts`);
  const cells = await Promise.all([0, 1, 2].map((i) => cellsOf(rows.nth(i))));
  expect(cells.map((c) => [c.Rollout, c.Attempt, c.Status, c['Worker ID']])).toEqual([
    [seeded.retried, attempts[0]!.attempt_id, 'failed', 'worker-1'],
    [seeded.retried, attempts[1]!.attempt_id, 'failed', 'worker-2'],
    [seeded.retried, attempts[2]!.attempt_id, 'succeeded', 'worker-2'],
  ]);
  // The nested table has the same columns.
  await expect(nested.getByRole('columnheader')).toHaveText([...ALL_COLUMNS, 'Actions']);

  await page.getByRole('button', { name: `Hide attempts of ${seeded.retried}` }).click();
  await expect(nested).toHaveCount(0);
});

test('opens the raw JSON of a rollout in the drawer', async ({ page }) => {
  await openRollouts(page);
  await rowOf(page, seeded.running)
    .getByRole('button', { name: /^View raw JSON of/ })
    .click();
  const drawer = page.getByRole('dialog');
  await expect(drawer).toContainText(`Rollout ${seeded.running}`);
  await expect(drawer).toContainText(`"rollout_id": "${seeded.running}"`);
  await expect(drawer).toContainText('"worker_id": "worker-1"');
});

test('View Traces goes to the Traces page with the rollout and attempt selected', async ({ page }) => {
  const rollout = (await store.api<RolloutWithAttempt>('GET', `/rollouts/${seeded.running}`))!;
  await openRollouts(page);
  await rowOf(page, seeded.running)
    .getByRole('button', { name: /^View traces of/ })
    .click();
  await expect(page).toHaveURL(/\/traces$/);
  await expect(page.getByRole('textbox', { name: 'Rollout' })).toHaveValue(seeded.running);
  await expect(page.getByRole('textbox', { name: 'Attempt' })).toHaveValue(new RegExp(rollout.attempt!.attempt_id));
});

test('auto-refresh picks up a new rollout within one interval and keeps sort, filter and page', async ({ page }) => {
  await page.goto(`${store.url}/settings`);
  await page.getByRole('textbox', { name: 'Auto-refresh interval' }).click();
  await page.getByRole('option', { name: '5 s', exact: true }).click();
  await page.getByRole('link', { name: 'Rollouts' }).click();
  await expect(page.getByTestId('rollout-row').first()).toBeVisible({ timeout: 20_000 });

  await page.getByRole('columnheader', { name: 'Rollout' }).getByRole('button').click();
  await pick(page, 'Mode', 'train');
  const trainCount = BULK + 5; // running, retried, succeeded, timeout, unresponsive and the bulk
  const count = page.getByTestId('rollouts-count');
  await expect(count).toHaveText(`Showing 1–100 of ${trainCount} (filtered from ${total})`);
  await page.getByRole('button', { name: '2', exact: true }).click();
  await expect(count).toHaveText(`Showing 101–${trainCount} of ${trainCount} (filtered from ${total})`);

  const added = await store.api<{ rollout_id: string }>('POST', '/queues/rollouts/enqueue', {
    input: 'late',
    mode: 'train',
  });
  await expect(count).toHaveText(`Showing 101–${trainCount + 1} of ${trainCount + 1} (filtered from ${total + 1})`, {
    timeout: 5_000 + 2_000,
  });
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
