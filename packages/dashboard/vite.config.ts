import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The store server serves this build at `/` (store-api.md §1.3), so it is written straight into its static folder.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../server/public',
    emptyOutDir: true,
    // The manifest lets scripts/bundle-size.mjs find the entry chunk and its static imports.
    manifest: true,
  },
});
