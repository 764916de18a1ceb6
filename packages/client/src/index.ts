/** `@agl/client`: a typed TypeScript client for the LightningStore `/agl/v1` API. */
export { LightningStoreClient, type LightningStoreClientOptions } from './client.js';
export { StoreError, type StoreErrorKind } from './errors.js';
export { isRetryableStatus, type RequestOptions } from './transport.js';
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
