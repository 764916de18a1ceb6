import type { Attempt, RolloutWithAttempt } from '@agl/schemas';
import { api } from './api';

export const rolloutsApi = api.injectEndpoints({
  endpoints: (build) => ({
    /**
     * Every rollout with its latest attempt (docs/protocol.md §4.5, §7h) — 40 MB for 100,000 rollouts. When a response
     * lands in the state, Immer walks every object to look for drafts and freeze it (~0.9 s at 100k); it skips a
     * frozen value without descending, so the list is frozen at its top level here. Structural sharing would walk
     * it again only to keep identities nobody uses (an unchanged store is a 304 that returns the same object).
     */
    getRollouts: build.query<RolloutWithAttempt[], void>({
      query: () => '/rollouts',
      providesTags: ['Rollouts'],
      structuralSharing: false,
      transformResponse: (response: RolloutWithAttempt[]) => Object.freeze(response) as RolloutWithAttempt[],
    }),
    /** All attempts of one rollout, oldest first (§4.10). */
    getRolloutAttempts: build.query<Attempt[], string>({
      query: (rolloutId) => `/rollouts/${encodeURIComponent(rolloutId)}/attempts`,
      providesTags: (_result, _error, rolloutId) => [{ type: 'Attempts', id: rolloutId }],
    }),
  }),
});

export const { useGetRolloutsQuery, useGetRolloutAttemptsQuery } = rolloutsApi;
