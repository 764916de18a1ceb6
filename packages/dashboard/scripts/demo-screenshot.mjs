#!/usr/bin/env node
// Takes docs/screenshots/demo.png for the README: the built agl-demo (packages/demo), the Rollouts page after the
// simulated run has been going for a while. Usage: npm run build && node packages/dashboard/scripts/demo-screenshot.mjs
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from '../../../scripts/lib/chromium.mjs';
import { startDemo } from '../../../scripts/lib/store-process.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const demo = await startDemo({ args: ['--speed', '3', '--seed', '7'], echo: true });
try {
  await new Promise((resolve) => setTimeout(resolve, 30_000)); // let batches, retries and the watchdog happen
  const browser = await chromium.launch(chromiumLaunchOptions());
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(`${demo.url}/rollouts`);
  await page.getByText(/Showing 1–/).waitFor();
  await page.screenshot({ path: `${root}/docs/screenshots/demo.png` });
  await browser.close();
} finally {
  await demo.stop('SIGINT');
}
