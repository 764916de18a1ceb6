/** `@agl/client`: typed TypeScript clients for the LightningStore APIs, `/agl/v1` and `/v1/agl`. */
export { LightningStoreClient, type LightningStoreClientOptions } from './client.js';
export { LightningStoreV1Client, queryString, type Query } from './v1-client.js';
export { StoreError, type StoreErrorKind } from './errors.js';
export { isRetryableStatus, type ClientOptions, type RequestOptions } from './transport.js';
export type {
  AttemptUpdate,
  LlmInput,
  NamedResourcesInput,
  ResourceInput,
  RolloutInput,
  RolloutQuery,
  RolloutUpdate,
  SpanInput,
} from './types.js';
