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

/**
 * `npm run dev` (scripts/dev.mjs) runs this dev server in front of a demo store: the API, OTLP and API docs go to
 * the store. The `Host` header is kept (no changeOrigin) so that the store sees the page's own origin and accepts
 * its writes. Not under Vitest, whose browser tests must never reach a store someone left running on 4747.
 */
const devStore = { target: process.env.AGL_DEV_STORE_URL ?? 'http://127.0.0.1:4747', changeOrigin: false };
const proxy = process.env.VITEST ? {} : Object.fromEntries(['/agl', '/v1', '/docs'].map((path) => [path, devStore]));

// The store server serves this build at `/` (docs/protocol.md §1.3), so it is written straight into its static folder.
export default defineConfig({
  plugins: [react(), dropMockServiceWorker()],
  server: { proxy },
  build: {
    outDir: '../server/public',
    emptyOutDir: true,
    // The manifest lets bench/bundle-size.mjs (at the repository root) find the entry chunk and its static imports.
    manifest: true,
  },
});
