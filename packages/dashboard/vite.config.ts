import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** public/ also holds msw's service worker for Storybook and browser tests; it must never ship with the product. */
function dropMockServiceWorker(): Plugin {
  return {
    name: 'drop-mock-service-worker',
    apply: 'build',
    writeBundle(options) {
      if (options.dir) rmSync(join(options.dir, 'mockServiceWorker.js'), { force: true });
    },
  };
}

// The store server serves this build at `/` (store-api.md §1.3), so it is written straight into its static folder.
export default defineConfig({
  plugins: [react(), dropMockServiceWorker()],
  build: {
    outDir: '../server/public',
    emptyOutDir: true,
    // The manifest lets scripts/bundle-size.mjs find the entry chunk and its static imports.
    manifest: true,
  },
});
