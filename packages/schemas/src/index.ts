/**
 * The LightningStore wire contract, written once: the server validates and documents with these schemas, and the
 * client and dashboard import the inferred types. Field names are the exact snake_case wire names.
 */
export * from './enums.js';
export * from './helpers.js';
export * from './rollouts.js';
export * from './resources.js';
export * from './spans.js';
export * from './requests.js';

/** Path prefix of the generation-A API (store-api.md §1.1). */
export const API_PREFIX = '/agl/v1';
