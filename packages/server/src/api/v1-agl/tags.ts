/** OpenAPI tags of generation B: one group per resource, named with the prefix so /docs tells the generations apart. */
export const V1_AGL_TAGS = {
  health: '/v1/agl health, statistics and waits',
  rollouts: '/v1/agl rollouts',
  attempts: '/v1/agl attempts',
  resources: '/v1/agl resources',
  spans: '/v1/agl spans',
  workers: '/v1/agl workers',
} as const;
