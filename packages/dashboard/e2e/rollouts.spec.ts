/**
 * The Rollouts page end to end, part 1: what each column shows, expanding retried rollouts, and the two actions.
 * The built dashboard is served by the real store, with data written through the API (rolloutsSeed.ts).
 */
import { expect, test } from '@playwright/test';
import { LONG_INPUT } from './rolloutsSeed';
import {
  ALL_COLUMNS,
  cellsOf,
  HEARTBEAT_AGE,
  localTime,
  openRollouts,
  rowOf,
  RUNNING_DURATION,
  seconds,
  shortDuration,
  seededStoreForThisFile,
} from './rolloutsPage';

const ctx = seededStoreForThisFile();

test('every column shows what the spec says, for every kind of rollout', async ({ page }) => {
  const all = await ctx.store.client.listRollouts();
  const byId = new Map(all.map((r) => [r.rollout_id, r]));
  const get = (id: string) => byId.get(id)!;
  await openRollouts(page, ctx.store);

  const queued = await cellsOf(rowOf(page, ctx.seeded.queued));
  expect(queued).toMatchObject({
    Rollout: ctx.seeded.queued,
    Attempt: 'N/A',
    Input: '"What is the capital of France?"',
    Status: 'queuing',
    'Resources ID': 'rs-e2e-b',
    Mode: 'val',
    'Start Time': localTime(get(ctx.seeded.queued).start_time),
    'Last Heartbeat': 'N/A',
    'Worker ID': 'N/A',
  });
  expect(queued.Duration).toMatch(RUNNING_DURATION);
  await expect(rowOf(page, ctx.seeded.queued).locator('[data-running]')).toBeVisible();

  const running = get(ctx.seeded.running);
  const runningCells = await cellsOf(rowOf(page, ctx.seeded.running));
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
    .poll(async () => seconds((await cellsOf(rowOf(page, ctx.seeded.running))).Duration)!, { timeout: 4_000 })
    .toBeGreaterThan(before);

  const retried = get(ctx.seeded.retried);
  const retriedCells = await cellsOf(rowOf(page, ctx.seeded.retried));
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
  await rowOf(page, ctx.seeded.retried).getByTestId('rollout-input').hover();
  await expect(page.getByRole('tooltip')).toContainText('s’il te plaît 🙏');

  const failed = get(ctx.seeded.failed);
  expect(await cellsOf(rowOf(page, ctx.seeded.failed))).toMatchObject({
    Input: '42',
    Status: 'failed',
    Mode: 'test',
    Duration: shortDuration(failed.attempt!.end_time! - failed.attempt!.start_time),
    'Last Heartbeat': 'N/A',
    'Worker ID': 'worker-2',
  });
  expect(await cellsOf(rowOf(page, ctx.seeded.succeeded))).toMatchObject({
    Input: 'null',
    Status: 'succeeded',
    'Worker ID': 'worker-3',
  });

  // Statuses that differ are shown together; the cancelled rollout's attempt stops counting when it was cancelled.
  const cancelled = get(ctx.seeded.cancelled);
  expect(await cellsOf(rowOf(page, ctx.seeded.cancelled))).toMatchObject({
    Status: 'cancelled - running',
    'Resources ID': 'N/A',
    Duration: shortDuration(cancelled.end_time! - cancelled.attempt!.start_time),
  });
  const timedOut = get(ctx.seeded.timeout);
  expect(await cellsOf(rowOf(page, ctx.seeded.timeout))).toMatchObject({
    Status: 'failed - timeout',
    Duration: shortDuration(timedOut.end_time! - timedOut.attempt!.start_time),
  });
  const unresponsive = await cellsOf(rowOf(page, ctx.seeded.unresponsive));
  expect(unresponsive.Status).toBe('requeuing - unresponsive');
  expect(unresponsive.Duration).toMatch(RUNNING_DURATION);

  // The status badges use the one colour map: a composite status has its own colour.
  await expect(rowOf(page, ctx.seeded.cancelled).locator('[data-status="cancelled - running"]')).toBeVisible();
});

test('expands a retried rollout into its attempts, loaded only on demand', async ({ page }) => {
  const attemptRequests: string[] = [];
  page.on('request', (r) => {
    if (/\/agl\/v1\/rollouts\/[^/]+\/attempts$/.test(new URL(r.url()).pathname)) attemptRequests.push(r.url());
  });
  await openRollouts(page, ctx.store);
  // Only rollouts with more than one attempt can expand.
  await expect(page.getByRole('button', { name: /^Show attempts of/ })).toHaveCount(1);
  expect(attemptRequests).toEqual([]);

  await page.getByRole('button', { name: `Show attempts of ${ctx.seeded.retried}` }).click();
  const nested = page.getByRole('region', { name: `Attempts of ${ctx.seeded.retried}` });
  const rows = nested.getByTestId('attempt-row');
  await expect(rows).toHaveCount(3);
  expect(attemptRequests).toHaveLength(1);
  const attempts = await ctx.store.client.listAttempts(ctx.seeded.retried);
  const cells = await Promise.all([0, 1, 2].map((i) => cellsOf(rows.nth(i))));
  expect(cells.map((c) => [c.Rollout, c.Attempt, c.Status, c['Worker ID']])).toEqual([
    [ctx.seeded.retried, attempts[0]!.attempt_id, 'failed', 'worker-1'],
    [ctx.seeded.retried, attempts[1]!.attempt_id, 'failed', 'worker-2'],
    [ctx.seeded.retried, attempts[2]!.attempt_id, 'succeeded', 'worker-2'],
  ]);
  // The nested table has the same columns.
  await expect(nested.getByRole('columnheader')).toHaveText([...ALL_COLUMNS, 'Actions']);

  await page.getByRole('button', { name: `Hide attempts of ${ctx.seeded.retried}` }).click();
  await expect(nested).toHaveCount(0);
});

test('opens the raw JSON of a rollout in the drawer', async ({ page }) => {
  await openRollouts(page, ctx.store);
  await rowOf(page, ctx.seeded.running)
    .getByRole('button', { name: /^View raw JSON of/ })
    .click();
  const drawer = page.getByRole('dialog');
  await expect(drawer).toContainText(`Rollout ${ctx.seeded.running}`);
  await expect(drawer).toContainText(`"rollout_id": "${ctx.seeded.running}"`);
  await expect(drawer).toContainText('"worker_id": "worker-1"');
});

test('View Traces goes to the Traces page with the rollout and attempt selected', async ({ page }) => {
  const rollout = (await ctx.store.client.getRollout(ctx.seeded.running))!;
  await openRollouts(page, ctx.store);
  await rowOf(page, ctx.seeded.running)
    .getByRole('button', { name: /^View traces of/ })
    .click();
  await expect(page).toHaveURL(/\/traces$/);
  await expect(page.getByRole('textbox', { name: 'Rollout' })).toHaveValue(ctx.seeded.running);
  await expect(page.getByRole('textbox', { name: 'Attempt' })).toHaveValue(new RegExp(rollout.attempt!.attempt_id));
});
