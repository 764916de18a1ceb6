/// <reference lib="dom" />
/**
 * Shared by the Rollouts end-to-end specs: a store of their own seeded through the API (rolloutsSeed.ts), so other
 * spec files' data never changes their counts, and readers of the table as the user sees it.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { seedRollouts, type SeededRollouts } from './rolloutsSeed';
import { startStore, type StoreServer } from './store';

// A zone far from the machine's, so the tests prove times are shown in the browser's local zone.
const TIME_ZONE = 'America/New_York';
export const BULK = 120;

export interface SeededStore {
  store: StoreServer;
  seeded: SeededRollouts;
  /** Rollouts in the store: the eight under test and the filler. */
  total: number;
}

/** Registers this file's store (started and seeded once, stopped at the end) and the browser settings. */
export function seededStoreForThisFile(): SeededStore {
  test.use({ timezoneId: TIME_ZONE, viewport: { width: 1600, height: 1000 } });
  // Many round trips per test on a shared 2-core machine.
  test.describe.configure({ timeout: 90_000 });
  const context = {} as SeededStore;
  test.beforeAll(async () => {
    context.store = await startStore();
    context.seeded = await seedRollouts(context.store, BULK);
    context.total = BULK + 8;
  });
  test.afterAll(async () => {
    await context.store?.stop();
  });
  return context;
}

export async function openRollouts(page: Page, store: StoreServer) {
  await page.goto(`${store.url}/rollouts`);
  // The first visit pays for the page's chunks and the whole list; a busy machine needs more than the default.
  await expect(page.getByTestId('rollout-row').first()).toBeVisible({ timeout: 20_000 });
}

const COLUMNS = ['Rollout', 'Attempt', 'Input', 'Status', 'Resources ID', 'Mode', 'Start Time', 'Duration'] as const;
export const ALL_COLUMNS = [...COLUMNS, 'Last Heartbeat', 'Worker ID'] as const;
export type Column = (typeof ALL_COLUMNS)[number];

export const rowOf = (page: Page, rolloutId: string) =>
  page.locator(`[data-testid=rollout-row][data-key="${rolloutId}"]`);

/** The texts of one row's data cells, by column name (Actions left out). */
export async function cellsOf(row: Locator): Promise<Record<Column, string>> {
  // textContent, not innerText: off-screen cells skip layout (content-visibility), and innerText reads layout.
  const texts = await row.locator(':scope > td').allTextContents();
  return Object.fromEntries(ALL_COLUMNS.map((name, i) => [name, (texts[i] ?? '').trim()])) as Record<Column, string>;
}

/** Every visible rollout row's text in one column, in order. */
export async function columnTexts(page: Page, column: Column): Promise<string[]> {
  const index = ALL_COLUMNS.indexOf(column);
  return page
    .getByTestId('rollout-row')
    .evaluateAll((rows, i) => rows.map((row) => (row.children[i]?.textContent ?? '').trim()), index);
}

/** `YYYY-MM-DD HH:mm:ss` in TIME_ZONE, computed independently of the dashboard's formatter. */
export function localTime(epochSeconds: number): string {
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

/** docs/dashboard.md's "1h 30m 15s" for the short durations these tests produce; under a second in milliseconds. */
export function shortDuration(seconds: number): string {
  if (seconds < 1) return `${Math.floor(seconds * 1000)}ms`;
  const whole = Math.floor(seconds);
  return whole < 60 ? `${whole}s` : `${Math.floor(whole / 60)}m ${whole % 60}s`;
}

/** Parses what the Duration and Last Heartbeat cells show back into seconds; N/A → null. */
export function seconds(text: string): number | null {
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

export const RUNNING_DURATION = /^(\d+ms|\d+s|\d+m \d+s)$/;
export const HEARTBEAT_AGE = /^(just now|\d+s ago)$/;

/** Sort keys of the visible cells: N/A is null, durations and ages are numbers, anything else its text. */
function keysOf(column: Column, texts: string[]): (string | number | null)[] {
  if (column === 'Duration' || column === 'Last Heartbeat') return texts.map(seconds);
  return texts.map((text) => (text === 'N/A' ? null : text));
}

export function expectSorted(column: Column, texts: string[], direction: 'asc' | 'desc') {
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

export async function pick(page: Page, filter: string, option: string) {
  await page.getByRole('textbox', { name: filter }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await page.keyboard.press('Escape');
}

export const visibleIds = (page: Page) =>
  page.getByTestId('rollout-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
