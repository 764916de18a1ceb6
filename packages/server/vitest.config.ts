import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Server tests run from TypeScript sources; workspace packages resolve to their sources too, so no build is needed.
export default defineConfig({
  resolve: {
    alias: {
      '@agl/schemas': fileURLToPath(new URL('../schemas/src/index.ts', import.meta.url)),
    },
  },
  test: {
    name: 'server',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts', '../schemas/test/**/*.test.ts'],
    environment: 'node',
    // One PostgreSQL cluster for the run; every store on it gets its own database.
    globalSetup: ['test/setup/postgres.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
