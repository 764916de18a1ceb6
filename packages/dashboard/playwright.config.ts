import { defineConfig, devices } from '@playwright/test';

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
  retries: process.env.CI ? 1 : 0,
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
        launchOptions: {
          // Debian's Chromium, never a downloaded browser.
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
});
