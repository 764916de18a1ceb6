#!/usr/bin/env node
// Takes docs/screenshots/demo.png for the README: the built agl-demo (packages/demo), the Rollouts page after the
// simulated run has been going for a while. Usage: npm run build && node packages/dashboard/scripts/demo-screenshot.mjs
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const port = 4990;
const server = spawn(
  process.execPath,
  ['packages/demo/dist/cli.js', '--speed', '3', '--seed', '7', '--port', String(port)],
  {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
await new Promise((resolve) =>
  server.stdout.on('data', (chunk) => String(chunk).includes('listening on') && resolve()),
);
await new Promise((resolve) => setTimeout(resolve, 30_000)); // let batches, retries and the watchdog happen
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
await page.goto(`http://127.0.0.1:${port}/rollouts`);
await page.getByText(/Showing 1–/).waitFor();
await page.screenshot({ path: `${root}/docs/screenshots/demo.png` });
await browser.close();
server.kill('SIGINT');
