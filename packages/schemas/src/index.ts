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
export * from './errors.js';
export * from './v1.js';
export * from './overview.js';
export * from './rewards.js';

/** Path prefix of the generation-A API (docs/protocol.md §1.1). */
export const API_PREFIX = '/agl/v1';
/** Path prefix of the v0.3 generation (docs/protocol.md §8). */
export const V1_API_PREFIX = '/v1/agl';
