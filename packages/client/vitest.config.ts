import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Client tests run the real server from its TypeScript sources; workspace packages resolve to sources, no build.
export default defineConfig({
  resolve: {
    alias: {
      '@agl/schemas': fileURLToPath(new URL('../schemas/src/index.ts', import.meta.url)),
      '@agl/client': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    name: 'client',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
