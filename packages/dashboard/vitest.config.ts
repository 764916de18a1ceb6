import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { chromiumLaunchOptions } from '../../scripts/lib/chromium.mjs';
import viteConfig from './vite.config.ts';

// A factory, not a shared literal: Vitest writes the instance name into the object it is given (toolchain.md §5).
const browser = () => ({
  enabled: true,
  headless: true,
  provider: playwright({ launchOptions: chromiumLaunchOptions() }),
  instances: [{ browser: 'chromium' as const }],
});

const root = fileURLToPath(new URL('.', import.meta.url));

export default mergeConfig(
  viteConfig,
  defineConfig({
    root,
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            environment: 'jsdom',
            include: ['src/**/*.test.{ts,tsx}'],
            exclude: ['src/**/*.browser.test.{ts,tsx}'],
            setupFiles: ['./src/test/setup.ts'],
          },
        },
        {
          // Node-side checks of the repository's tooling, e.g. that the layer lint rules fire.
          extends: true,
          test: { name: 'tooling', environment: 'node', include: ['scripts/**/*.test.ts'] },
        },
        {
          extends: true,
          test: { name: 'browser', include: ['src/**/*.browser.test.{ts,tsx}'], browser: browser() },
        },
        {
          extends: true,
          plugins: [storybookTest({ configDir: fileURLToPath(new URL('./.storybook', import.meta.url)) })],
          test: { name: 'storybook', browser: browser() },
        },
      ],
    },
  }),
);
