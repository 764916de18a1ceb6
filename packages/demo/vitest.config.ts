import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The simulator runs against the real server from its TypeScript sources; workspace packages resolve to sources,
// no build. Exact matches only, so that `@agl/server/cli` is not read as a path under `@agl/server`.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@agl\/schemas$/, replacement: source('../schemas/src/index.ts') },
      { find: /^@agl\/client$/, replacement: source('../client/src/index.ts') },
      { find: /^@agl\/server$/, replacement: source('../server/src/index.ts') },
      { find: /^@agl\/server\/cli$/, replacement: source('../server/src/cli/index.ts') },
    ],
  },
  test: {
    name: 'demo',
    root: source('.'),
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 45_000,
  },
});
