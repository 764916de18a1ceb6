import type { ResourcesUpdate } from '@agl/schemas';
import { api } from './api';

const resourcesApi = api.injectEndpoints({
  endpoints: (build) => ({
    /** Every resources snapshot, newest first (docs/protocol.md §4.13). */
    getResources: build.query<ResourcesUpdate[], void>({
      query: () => '/resources',
      providesTags: ['Resources'],
    }),
  }),
});

export const { useGetResourcesQuery } = resourcesApi;
