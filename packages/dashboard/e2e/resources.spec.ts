/**
 * The Resources page against the real store: snapshots are written with the client's `addResources` and
 * `upsertResources` (an update bumps the version and makes that snapshot the latest).
 */
import type { NamedResourcesInput } from '@agl/client';
import { expect, test } from './fixtures';

const API_KEY = 'sk-e2e-0123456789abcdef';
const FIRST = {
  main_llm: {
    resource_type: 'llm',
    endpoint: 'http://localhost:8000/v1',
    model: 'Qwen/Qwen2.5-1.5B-Instruct',
    api_key: API_KEY,
    sampling_parameters: { temperature: 0.7, top_p: 0.9 },
  },
  system_prompt: { resource_type: 'prompt_template', engine: 'jinja', template: '<b>Question:</b> {{ question }}' },
} satisfies NamedResourcesInput;

test('lists snapshots newest first and shows a snapshot’s resources with the key masked until revealed', async ({
  page,
  store,
}) => {
  const first = await store.client.addResources(FIRST);
  const second = await store.client.addResources({
    proxy: { resource_type: 'proxy_llm', endpoint: 'http://127.0.0.1:4747/v1', model: 'm' },
  });
  // Updating the first makes it the latest again, at version 2.
  await store.client.upsertResources(first.resources_id, FIRST);

  await page.goto('/resources');
  const list = page.getByRole('table', { name: 'Resource snapshots' });
  const rows = list.locator('tbody tr');
  await expect(rows.first()).toHaveAttribute('data-resources-id', first.resources_id);
  await expect(rows.first()).toContainText('latest');
  await expect(rows.first()).toContainText('v2');
  await expect(list.locator(`tr[data-resources-id="${second.resources_id}"]`)).not.toContainText('latest');

  // The latest snapshot is shown by default: key masked, template as literal text.
  const detail = page.getByTestId('snapshot-detail');
  await expect(detail.getByRole('heading')).toHaveText(first.resources_id);
  const key = detail.getByTestId('api-key');
  await expect(key).toHaveText('••••••••cdef');
  await expect(page.getByText(API_KEY)).toHaveCount(0);
  await expect(detail.getByTestId('prompt-template')).toHaveText('<b>Question:</b> {{ question }}');
  await expect(detail).toContainText('temperature');

  await detail.getByRole('button', { name: 'Reveal API key' }).click();
  await expect(key).toHaveText(API_KEY);
  await detail.getByRole('button', { name: 'Hide API key' }).click();
  await expect(key).toHaveText('••••••••cdef');

  // Search by id, select another snapshot, open its raw JSON in the drawer.
  await page.getByRole('textbox', { name: 'Search resources' }).fill(second.resources_id.slice(3));
  await expect(rows).toHaveCount(1);
  await rows.first().click();
  await expect(detail.getByRole('heading')).toHaveText(second.resources_id);
  await expect(detail.getByTestId('resource-card')).toContainText('proxy_llm');
  await detail.getByRole('button', { name: 'Raw JSON' }).click();
  await expect(page.getByRole('dialog')).toContainText(`"resources_id": "${second.resources_id}"`);
});
