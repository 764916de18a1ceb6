import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * The store sends a Content-Security-Policy without inline script on its HTML (server/src/http/security-headers.ts).
 * These pages must render under it with nothing blocked: Chromium reports each blocked load or inline script on the
 * console, and the page sees a `securitypolicyviolation` event, which is echoed to the console too.
 */
function collectViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to|CSP violation/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(error.message));
  return violations;
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`),
    );
  });
});

test('the dashboard renders every page with no CSP violation', async ({ page, store }) => {
  await store.client.enqueueRollout({ input: { task: 'csp' } });
  const violations = collectViolations(page);
  const response = await page.goto('/rollouts');
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeVisible();
  for (const label of ['Rollouts', 'Resources', 'Traces', 'Settings']) {
    await nav.getByRole('link', { name: label }).click();
    await expect(page.getByTestId('header-title')).toHaveText(label);
  }
  await page.getByRole('link', { name: 'Rollouts' }).click();
  await expect(page.getByText('csp').first()).toBeVisible();
  expect(violations).toEqual([]);
});

test('Swagger UI at /docs renders the API with no CSP violation', async ({ page }) => {
  const violations = collectViolations(page);
  const response = await page.goto('/docs');
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.locator('.swagger-ui .info .title')).toContainText('LightningStore API');
  // Expanding an operation renders the parameter and response views too.
  await page.locator('.opblock-summary').first().click();
  await expect(page.locator('.opblock-body').first()).toBeVisible();
  expect(violations).toEqual([]);
});
