import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

/** Writes docs/screenshots/*.png (see scripts/screenshots.spec.ts); kept out of the e2e suite on purpose. */
export default defineConfig({
  ...base,
  testDir: './scripts',
  testMatch: 'screenshots.spec.ts',
  workers: 1,
});
