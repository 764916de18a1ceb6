// Preloaded into the built store with `node --import` (see `failingStore` in ../states.spec.ts): the LightningStore
// operations named in E2E_FAILING_OPERATIONS (comma-separated) throw, the way a bug in the store would, so the
// dashboard meets real 500 answers from the real server while everything else — static files, health — works.
import { LightningStore } from '../../../server/dist/index.js';

for (const name of (process.env.E2E_FAILING_OPERATIONS ?? '').split(',').filter(Boolean)) {
  if (typeof LightningStore.prototype[name] !== 'function') throw new Error(`no LightningStore operation ${name}`);
  LightningStore.prototype[name] = async function injectedFault() {
    throw new Error(`injected fault in ${name}`);
  };
}
