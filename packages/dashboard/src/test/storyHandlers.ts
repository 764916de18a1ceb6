/** msw handlers shared by stories: a healthy store with a little data. Stories only — never proof the app works. */
import { delay, http, HttpResponse } from 'msw';
import type { ResourcesUpdate, RolloutWithAttempt } from '@agl/schemas';

export const sampleRollout: RolloutWithAttempt = {
  rollout_id: 'ro-0123456789ab',
  input: { task: 'Summarise the quarterly report', difficulty: 3 },
  start_time: 1_761_745_417.47,
  end_time: null,
  mode: 'train',
  resources_id: 'rs-1',
  status: 'running',
  config: { timeout_seconds: 600, unresponsive_seconds: null, max_attempts: 2, retry_condition: ['failed'] },
  metadata: { owner: 'trainer-1' },
  attempt: {
    rollout_id: 'ro-0123456789ab',
    attempt_id: 'at-0a1b2c3d',
    sequence_id: 1,
    start_time: 1_761_745_418.01,
    end_time: null,
    status: 'running',
    worker_id: 'worker-7',
    last_heartbeat_time: 1_761_745_470.5,
    metadata: null,
  },
};

export const sampleResources: ResourcesUpdate = {
  resources_id: 'rs-1',
  create_time: 1_761_745_000,
  update_time: 1_761_745_000,
  version: 1,
  resources: {
    main_llm: {
      resource_type: 'llm',
      endpoint: 'http://127.0.0.1:8000/v1',
      model: 'qwen2.5',
      api_key: null,
      sampling_parameters: { temperature: 0.7 },
    },
  },
};

export const healthyHandlers = [
  http.get('*/agl/v1/health', () => HttpResponse.json({ status: 'ok' })),
  http.get('*/agl/v1/rollouts', () => HttpResponse.json([sampleRollout])),
  http.get('*/agl/v1/resources', () => HttpResponse.json([sampleResources])),
  http.get('*/agl/v1/rollouts/:id/attempts', () =>
    HttpResponse.json(sampleRollout.attempt ? [sampleRollout.attempt] : []),
  ),
  http.get('*/agl/v1/spans', () => HttpResponse.json([])),
];

export const unreachableHandlers = [http.get('*/agl/v1/*', () => HttpResponse.error())];

/** Data requests that never finish, for "Refreshing"; health stays fine. */
export const slowDataHandlers = [
  http.get('*/agl/v1/health', () => HttpResponse.json({ status: 'ok' })),
  http.get('*/agl/v1/*', async () => {
    await delay('infinite');
    return HttpResponse.json([]);
  }),
];

/** A store started with `--api-key <key>`: health stays open, everything else wants the bearer token. */
export function apiKeyHandlers(key: string) {
  const refused = () => HttpResponse.json({ detail: 'Invalid or missing API key' }, { status: 401 });
  const guarded =
    (answer: () => Response) =>
    ({ request }: { request: Request }) =>
      request.headers.get('Authorization') === `Bearer ${key}` ? answer() : refused();
  return [
    http.get('*/agl/v1/health', () => HttpResponse.json({ status: 'ok' })),
    http.get(
      '*/agl/v1/rollouts',
      guarded(() => HttpResponse.json([sampleRollout])),
    ),
    http.get(
      '*/agl/v1/*',
      guarded(() => HttpResponse.json([])),
    ),
  ];
}

/** A store whose watchdog keeps failing: it answers, and health says so. */
export const degradedHandlers = [
  http.get('*/agl/v1/health', () =>
    HttpResponse.json({
      status: 'degraded',
      problems: [
        {
          source: 'watchdog',
          message: 'database is locked',
          since: Date.now() / 1000 - 95,
          failures: 3,
        },
      ],
    }),
  ),
  ...healthyHandlers.slice(1),
];
