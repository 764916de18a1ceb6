/** OpenAPI tags of generation A: one group per resource, named with the prefix so /docs tells the generations apart. */
export const AGL_V1_TAGS = {
  health: '/agl/v1 health and waits',
  rollouts: '/agl/v1 rollouts',
  attempts: '/agl/v1 attempts',
  resources: '/agl/v1 resources',
  spans: '/agl/v1 spans',
} as const;
