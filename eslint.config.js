// One lint config for the whole repository (flat config). Type-aware rules are left out on purpose: `tsc -b`
// already type-checks everything in `npm test`, and type-aware linting would double the gate's time.
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import storybook from 'eslint-plugin-storybook';
import tseslint from 'typescript-eslint';
import { dashboardLayers } from './packages/dashboard/eslint.layers.js';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'packages/server/public/**',
      '**/storybook-static/**',
      '**/test-results/**',
      '**/playwright-report/**',
      '**/.test-results/**',
      'packages/dashboard/public/mockServiceWorker.js',
      '.scratch/**',
      // Deliberately broken layering, linted only by the test that proves the layer rules fire.
      'packages/dashboard/scripts/lint-fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['packages/dashboard/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  ...dashboardLayers(
    fileURLToPath(new URL('./packages/dashboard/src', import.meta.url)),
    fileURLToPath(new URL('.', import.meta.url)),
  ),
  {
    // Benchmarks and screenshot scripts run in Node but pass functions to the page (Playwright `evaluate`).
    files: ['**/bench/**/*.mjs', 'packages/dashboard/scripts/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  ...storybook.configs['flat/recommended'],
);
