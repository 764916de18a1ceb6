/**
 * The Traces page against the real store: spans are written through the client (`nextSpanSequenceId` + `addSpan`)
 * from the committed agent-run fixture, then read back by the page. Navigation between pages uses the navbar, since
 * the selection lives in Redux (not the URL) and a reload would drop it.
 */
import { readFileSync } from 'node:fs';
import type { Span } from '@agl/schemas';
import type { Page } from '@playwright/test';
import { expect, test, type StoreServer } from './fixtures';

const AGENT_RUN = JSON.parse(
  readFileSync(new URL('../src/features/traces/fixtures/agent-run.json', import.meta.url), 'utf8'),
) as Span[];
const ROOT_ID = '1a2b3c4d00000001';

async function writeSpans(store: StoreServer, rolloutId: string, attemptId: string, spans: readonly Span[]) {
  for (const span of spans) {
    const sequenceId = await store.client.nextSpanSequenceId(rolloutId, attemptId);
    await store.client.addSpan({ ...span, rollout_id: rolloutId, attempt_id: attemptId, sequence_id: sequenceId });
  }
}

const startRollout = (store: StoreServer) =>
  store.client.startRollout({ input: { question: 'What is (17 * 23) + 4?' } });

async function seedAgentRun(store: StoreServer) {
  const rollout = await startRollout(store);
  await writeSpans(store, rollout.rollout_id, rollout.attempt.attempt_id, AGENT_RUN);
  return rollout;
}

/** Picks a rollout in the searchable picker by typing part of its id. */
async function pickRollout(page: Page, rolloutId: string) {
  const picker = page.getByRole('textbox', { name: 'Rollout' });
  await picker.click();
  await picker.fill(rolloutId.slice(3, 11));
  await page.getByRole('option', { name: new RegExp(rolloutId) }).click();
  await expect(picker).toHaveValue(rolloutId);
}

const tree = (page: Page) => page.getByRole('tree', { name: 'Spans' });
const treeItem = (page: Page, name: string) => tree(page).getByRole('treeitem').filter({ hasText: name });

test('arriving from "View Traces" shows the attempt with its summary, tree and waterfall', async ({ page, store }) => {
  const rollout = await seedAgentRun(store);
  await page.goto('/rollouts');
  await page
    .getByRole('button', { name: `View traces of ${rollout.rollout_id} / ${rollout.attempt.attempt_id}` })
    .click();

  await expect(page).toHaveURL(/\/traces$/);
  await expect(page.getByRole('textbox', { name: 'Rollout' })).toHaveValue(rollout.rollout_id);
  await expect(page.getByRole('textbox', { name: 'Attempt' })).toHaveValue(new RegExp(rollout.attempt.attempt_id));
  await expect(page.getByTestId('final-reward')).toHaveText('1');
  await expect(page.getByTestId('llm-calls')).toHaveText('3');
  await expect(page.getByTestId('total-tokens')).toHaveText('287');
  await expect(page.getByTestId('error-count')).toHaveText('1');

  await expect(tree(page).getByRole('treeitem')).toHaveCount(13);
  // The orphan sits at the root, marked; the error span's bar uses the error colour; rewards are marked.
  await expect(treeItem(page, 'http.request')).toContainText('orphan');
  await expect(treeItem(page, 'http.request')).toHaveAttribute('aria-level', '1');
  await expect(treeItem(page, 'tool.web_search').locator('[data-kind="error"]')).toBeVisible();
  await expect(tree(page).getByTestId('reward-mark')).toHaveCount(3);
  // Sub-second spans are labelled in milliseconds, never blank.
  await expect(treeItem(page, 'tool.verify')).toContainText('450ms');
  await expect(page.getByTestId('ruler-tick').first()).toHaveText('0');
});

test('switching attempts shows each attempt’s own spans; the latest is the default', async ({ page, store }) => {
  const rollout = await seedAgentRun(store);
  const retry = await store.client.startAttempt(rollout.rollout_id);
  await writeSpans(store, rollout.rollout_id, retry.attempt.attempt_id, AGENT_RUN.slice(0, 2));

  await page.goto('/traces');
  await pickRollout(page, rollout.rollout_id);
  const attemptPicker = page.getByRole('textbox', { name: 'Attempt' });
  await expect(attemptPicker).toHaveValue(`#2 · ${retry.attempt.attempt_id} (latest)`);
  await expect(tree(page).getByRole('treeitem')).toHaveCount(2);
  await expect(page.getByTestId('final-reward')).toHaveText('N/A');

  await attemptPicker.click();
  await page.getByRole('option', { name: new RegExp(`#1 · ${rollout.attempt.attempt_id}`) }).click();
  await expect(tree(page).getByRole('treeitem')).toHaveCount(13);
  await expect(page.getByTestId('final-reward')).toHaveText('1');
});

test('expanding and collapsing spans, one at a time and all at once', async ({ page, store }) => {
  const rollout = await seedAgentRun(store);
  await page.goto('/traces');
  await pickRollout(page, rollout.rollout_id);
  const items = tree(page).getByRole('treeitem');
  await expect(items).toHaveCount(13);

  await page.getByRole('button', { name: 'Collapse agent.step' }).click();
  await expect(items).toHaveCount(10);
  await expect(treeItem(page, 'agent.step')).toHaveAttribute('aria-expanded', 'false');
  await expect(treeItem(page, 'tool.verify')).toHaveCount(0);
  await page.getByRole('button', { name: 'Expand agent.step' }).click();
  await expect(items).toHaveCount(13);

  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(items).toHaveCount(2);
  await expect(treeItem(page, 'calc_agent.run')).toContainText('8'); // its child count
  await page.getByRole('button', { name: 'Expand all' }).click();
  await expect(items).toHaveCount(13);

  // The table view lists the same spans, sortable and searchable.
  await page.getByText('Table', { exact: true }).click();
  const table = page.getByRole('table', { name: 'Spans table' });
  await page.getByRole('textbox', { name: 'Search spans' }).fill('calculator');
  await expect(table.locator('tbody tr')).toHaveCount(2);
});

test('a span’s detail shows the chat of an LLM call and the reward of a reward span, as text', async ({
  page,
  store,
}) => {
  const rollout = await seedAgentRun(store);
  await page.goto('/traces');
  await pickRollout(page, rollout.rollout_id);

  await treeItem(page, 'litellm.completion').click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByTestId('span-detail-name')).toHaveText('litellm.completion');
  const messages = drawer.getByTestId('chat-message');
  await expect(messages).toHaveCount(4);
  await expect(messages.nth(0)).toHaveAttribute('data-role', 'system');
  await expect(messages.nth(3)).toContainText('17 * 23 = 391; I will now add 4.');
  await expect(drawer.getByTestId('llm-model')).toHaveText('hosted_vllm/Qwen/Qwen2.5-1.5B-Instruct');
  await expect(drawer.getByTestId('token-id-count').first()).toHaveText('88 tokens');

  await page.keyboard.press('Escape');
  await tree(page).getByRole('treeitem').filter({ hasText: 'openai.chat.completion' }).nth(1).click();
  // Markup inside a completion is shown literally, never interpreted.
  await expect(page.getByRole('dialog').getByText('<script>alert(1)</script>395')).toBeVisible();

  await page.keyboard.press('Escape');
  await treeItem(page, 'agentlightning.annotation').click();
  await expect(page.getByRole('dialog').getByTestId('reward-value')).toHaveText('1');
  await expect(page.getByRole('dialog').getByTestId('reward-callout')).toContainText('task_success');
  await expect(page.getByRole('dialog').getByTestId('reward-callout')).toContainText('efficiency');
});

test('auto-refresh adds new spans and keeps what the user collapsed', async ({ page, store }) => {
  const rollout = await seedAgentRun(store);
  await page.goto('/settings');
  await page.getByRole('textbox', { name: 'Auto-refresh interval' }).click();
  await page.getByRole('option', { name: '5 s', exact: true }).click();
  await page.getByRole('link', { name: 'Traces' }).click();
  await pickRollout(page, rollout.rollout_id);
  await page.getByRole('button', { name: 'Collapse agent.step' }).click();
  await expect(tree(page).getByRole('treeitem')).toHaveCount(10);

  const late: Span = { ...AGENT_RUN[0]!, span_id: '1a2b3c4d000000ff', parent_id: ROOT_ID, name: 'late.tool_call' };
  await writeSpans(store, rollout.rollout_id, rollout.attempt.attempt_id, [late]);
  await expect(treeItem(page, 'late.tool_call')).toBeVisible({ timeout: 12_000 });
  await expect(tree(page).getByRole('treeitem')).toHaveCount(11);
  await expect(treeItem(page, 'agent.step')).toHaveAttribute('aria-expanded', 'false');
});
