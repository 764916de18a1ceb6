export { buildApp, openStorage, type AppOptions, type StorageOptions } from './app.js';
export { LightningStore } from './store/store.js';
export type { StorageEngine, RolloutRecord } from './storage/engine.js';
