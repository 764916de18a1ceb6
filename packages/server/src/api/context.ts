/** What the API plugins receive, and what their route modules share. */
import type { ListCache } from '../http/list-cache.js';
import type { JsonApiOptions } from '../http/json-api.js';
import type { LightningStore } from '../store/store.js';

export interface RouteContext {
  store: LightningStore;
  /** Built list bodies with their ETags (§7g), shared by both generations (keys differ). */
  lists: ListCache;
}

export type ApiPluginOptions = RouteContext & JsonApiOptions;

/** Route options that skip the before-request watchdog scan (§5.5: health, add span, next sequence id). */
export const NO_WATCHDOG = { watchdog: false } as const;
