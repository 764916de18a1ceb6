/**
 * "View raw JSON" on a nested attempt row opens that attempt — not its rollout, and not the rollout's latest
 * attempt — read back from the real store.
 */
import { expect, test } from './fixtures';

test('raw JSON from an attempt row of an expanded rollout shows that attempt', async ({ page, store }) => {
  const { client } = store;
  const first = await client.startRollout({ input: { task: 'raw json of attempts' }, mode: 'train' });
  const rid = first.rollout_id;
  await client.updateAttempt(rid, first.attempt.attempt_id, { status: 'failed', worker_id: 'worker-a' });
  const second = await client.startAttempt(rid);
  await client.updateAttempt(rid, second.attempt.attempt_id, { status: 'running', worker_id: 'worker-b' });
  const [attempt1, attempt2] = await client.listAttempts(rid);

  await page.goto('/rollouts');
  await page.getByRole('button', { name: `Show attempts of ${rid}` }).click();
  const nested = page.getByRole('region', { name: `Attempts of ${rid}` });
  await expect(nested.getByTestId('attempt-row')).toHaveCount(2);

  await nested.getByRole('button', { name: `View raw JSON of ${rid} / ${attempt1!.attempt_id}` }).click();
  const drawer = page.getByRole('dialog');
  await expect(drawer).toContainText(`Attempt ${attempt1!.attempt_id}`);
  await expect(drawer).toContainText(`"attempt_id": "${attempt1!.attempt_id}"`);
  await expect(drawer).toContainText('"sequence_id": 1');
  await expect(drawer).toContainText('"worker_id": "worker-a"');
  // Not the rollout (which has an input) and not the latest attempt the rollout row carries.
  await expect(drawer).not.toContainText('"input"');
  await expect(drawer).not.toContainText(attempt2!.attempt_id);
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);

  await nested.getByRole('button', { name: `View raw JSON of ${rid} / ${attempt2!.attempt_id}` }).click();
  await expect(page.getByRole('dialog')).toContainText(`"attempt_id": "${attempt2!.attempt_id}"`);
  await expect(page.getByRole('dialog')).toContainText('"status": "running"');
});
