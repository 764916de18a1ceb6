import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from '../../scripts/lib/chromium.mjs';

/**
 * End-to-end tests against the real built server (e2e/fixtures.ts starts `packages/server/dist/cli.js` per worker,
 * which serves the built dashboard). Build first: `npm run build` (the root `npm test` does).
 */
export default defineConfig({
  testDir: './e2e',
  // Overridable so two people running e2e in one working tree do not wipe each other's artifacts.
  outputDir: process.env.PW_OUTPUT_DIR ?? './test-results',
  fullyParallel: false,
  workers: process.env.CI ? 2 : 1,
  // A test that needs a second try to pass is broken: no retries (should someone add them, a test that passes only on
  // a retry still fails the run), and a committed `.only` fails it too.
  retries: 0,
  failOnFlakyTests: true,
  forbidOnly: true,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: chromiumLaunchOptions(),
      },
    },
  ],
});
