import type { Span } from '@agl/schemas';
import { api } from './api';

export interface SpansArgs {
  rolloutId: string;
  /** An attempt id, `latest`, or null for the spans of every attempt (docs/protocol.md §4.19). */
  attemptId: string | null;
}

const spansApi = api.injectEndpoints({
  endpoints: (build) => ({
    getSpans: build.query<Span[], SpansArgs>({
      query: ({ rolloutId, attemptId }) => ({
        url: '/spans',
        params: { rollout_id: rolloutId, attempt_id: attemptId },
      }),
      providesTags: (_result, _error, { rolloutId }) => [{ type: 'Spans', id: rolloutId }],
    }),
  }),
});

export const { useGetSpansQuery } = spansApi;
