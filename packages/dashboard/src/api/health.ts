import type { HealthResponse } from '@agl/schemas';
import { api } from './api';

/** How often the connection indicator asks the store if it is alive, and how long it waits for an answer. */
export const HEALTH_POLL_MS = 2_000;
const HEALTH_TIMEOUT_MS = 1_500;

export const healthApi = api.injectEndpoints({
  endpoints: (build) => ({
    /** `ok`, or `degraded` with the background jobs that keep failing (docs/protocol.md §4.1). */
    getHealth: build.query<HealthResponse, void>({
      query: () => '/health',
      extraOptions: { timeoutMs: HEALTH_TIMEOUT_MS },
      providesTags: ['Health'],
    }),
  }),
});

export const { useGetHealthQuery } = healthApi;
