/**
 * Tuning of the shared `getRollouts` endpoint for a store with 100,000 rollouts (a 40 MB list).
 *
 * When a response lands in the Redux state, Immer walks every object in it to look for drafts and to freeze it:
 * ~0.9 s of main thread for 100,000 rollouts, on the first load and on every refresh that brings a change. Immer
 * skips a frozen value without descending into it, so the parsed list is frozen at its top level (one call). And
 * structural sharing is turned off: it would walk the list again to rebuild a new, unfrozen copy, only to keep
 * object identities this page does not use (rows are derived again on any change, and an unchanged store costs a
 * 304 that returns the very same object).
 *
 * TODO(dashboard foundation): move both options into `api/rollouts.ts` (or freeze in the base query for every list)
 * so they apply before any page loads; here they apply once the Rollouts page's chunk is loaded.
 */
import type { RolloutWithAttempt } from '@agl/schemas';
import { rolloutsApi } from '../../api/rollouts';

rolloutsApi.enhanceEndpoints({
  endpoints: {
    getRollouts: {
      structuralSharing: false,
      transformResponse: (response: unknown) => Object.freeze(response as RolloutWithAttempt[]) as RolloutWithAttempt[],
    },
  },
});
