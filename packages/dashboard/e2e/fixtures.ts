/**
 * Playwright fixtures: every worker gets its own real store (in memory) serving the built dashboard, and tests run
 * with `baseURL` pointing at it. `startStore` starts extra, independent stores (second backend, stop/restart).
 */
import { test as base, expect } from '@playwright/test';
import { startStore, type StartStoreOptions, type StoreServer } from './store';

export { expect };
export type { StoreServer };

interface WorkerFixtures {
  store: StoreServer;
}

interface TestFixtures {
  /** Starts another store for this test only; it is stopped when the test ends. */
  startStore: (options?: StartStoreOptions) => Promise<StoreServer>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  store: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, provide) => {
      const store = await startStore();
      await provide(store);
      await store.stop();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ store }, provide) => {
    await provide(store.url);
  },
  // eslint-disable-next-line no-empty-pattern
  startStore: async ({}, provide) => {
    const started: StoreServer[] = [];
    await provide(async (options) => {
      const store = await startStore(options);
      started.push(store);
      return store;
    });
    await Promise.all(started.map((store) => store.stop()));
  },
});
