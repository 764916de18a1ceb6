import type { Attempt, RolloutWithAttempt } from '@agl/schemas';
import { api } from './api';

export const rolloutsApi = api.injectEndpoints({
  endpoints: (build) => ({
    /** Every rollout with its latest attempt (store-api.md §4.5, §7h). */
    getRollouts: build.query<RolloutWithAttempt[], void>({
      query: () => '/rollouts',
      providesTags: ['Rollouts'],
    }),
    /** All attempts of one rollout, oldest first (§4.10). */
    getRolloutAttempts: build.query<Attempt[], string>({
      query: (rolloutId) => `/rollouts/${encodeURIComponent(rolloutId)}/attempts`,
      providesTags: (_result, _error, rolloutId) => [{ type: 'Attempts', id: rolloutId }],
    }),
  }),
});

export const { useGetRolloutsQuery, useGetRolloutAttemptsQuery } = rolloutsApi;
