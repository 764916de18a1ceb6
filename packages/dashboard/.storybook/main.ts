import type { StorybookConfig } from '@storybook/react-vite';

const config: StorybookConfig = {
  stories: ['../src/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-vitest'],
  framework: '@storybook/react-vite',
  // public/ holds msw's mockServiceWorker.js (stories only) and the favicon.
  staticDirs: ['../public'],
  core: { disableTelemetry: true },
};

export default config;
