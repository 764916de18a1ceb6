/**
 * The one RTK Query API of the dashboard. Endpoints are injected per concern (health.ts, rollouts.ts, spans.ts,
 * resources.ts) so no feature owns the API, and every feature shares one cache.
 */
import { createApi } from '@reduxjs/toolkit/query/react';
import { createStoreBaseQuery } from './baseQuery';

export const TAG_TYPES = ['Health', 'Rollouts', 'Attempts', 'Spans', 'Resources'] as const;

export const api = createApi({
  reducerPath: 'api',
  baseQuery: createStoreBaseQuery(),
  tagTypes: TAG_TYPES,
  endpoints: () => ({}),
});
