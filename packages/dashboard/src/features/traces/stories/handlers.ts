/** msw handlers for Traces stories: one rollout with two attempts, the second carrying the agent-run fixture. */
import { delay, http, HttpResponse } from 'msw';
import type { Attempt, RolloutWithAttempt, Span } from '@agl/schemas';
import { AGENT_RUN_ATTEMPT_ID, AGENT_RUN_ROLLOUT_ID, agentRunSpans } from '../fixtures';

const T0 = 1761745420.125;

const storyAttempts: Attempt[] = [
  {
    rollout_id: AGENT_RUN_ROLLOUT_ID,
    attempt_id: 'at-0f1e2d3c',
    sequence_id: 1,
    start_time: T0 - 60,
    end_time: T0 - 30,
    status: 'failed',
    worker_id: 'worker-1',
    last_heartbeat_time: T0 - 31,
    metadata: null,
  },
  {
    rollout_id: AGENT_RUN_ROLLOUT_ID,
    attempt_id: AGENT_RUN_ATTEMPT_ID,
    sequence_id: 2,
    start_time: T0,
    end_time: T0 + 12.5,
    status: 'succeeded',
    worker_id: 'worker-2',
    last_heartbeat_time: T0 + 12.4,
    metadata: null,
  },
];

const storyRollout: RolloutWithAttempt = {
  rollout_id: AGENT_RUN_ROLLOUT_ID,
  input: { question: 'What is (17 * 23) + 4?' },
  start_time: T0 - 61,
  end_time: T0 + 12.5,
  mode: 'train',
  resources_id: 'rs-9c1d2e3f4a5b',
  status: 'succeeded',
  config: { timeout_seconds: null, unresponsive_seconds: null, max_attempts: 2, retry_condition: ['failed'] },
  metadata: null,
  attempt: storyAttempts[1],
};

const otherRollout: RolloutWithAttempt = {
  ...storyRollout,
  rollout_id: 'ro-aa11bb22cc33',
  status: 'running',
  start_time: T0 - 120,
  attempt: { ...storyAttempts[0]!, rollout_id: 'ro-aa11bb22cc33', attempt_id: 'at-99887766', status: 'running' },
};

/** Spans per attempt id; the first attempt failed after its first two spans. */
function spansFor(attemptId: string | null, spans: Span[]): Span[] {
  if (attemptId === 'at-0f1e2d3c') return spans.slice(0, 2).map((s) => ({ ...s, attempt_id: attemptId }));
  return spans;
}

const shared = [
  http.get('*/agl/v1/health', () => HttpResponse.json({ status: 'ok' })),
  http.get('*/agl/v1/rollouts', () => HttpResponse.json([storyRollout, otherRollout])),
  http.get('*/agl/v1/rollouts/:id/attempts', ({ params }) =>
    HttpResponse.json(params.id === AGENT_RUN_ROLLOUT_ID ? storyAttempts : [otherRollout.attempt]),
  ),
];

export function spansHandlers(spans: Span[] = agentRunSpans()) {
  return [
    ...shared,
    http.get('*/agl/v1/spans', ({ request }) =>
      HttpResponse.json(spansFor(new URL(request.url).searchParams.get('attempt_id'), spans)),
    ),
  ];
}

export const loadingSpansHandlers = [
  ...shared,
  http.get('*/agl/v1/spans', async () => {
    await delay('infinite');
    return HttpResponse.json([]);
  }),
];

export const emptySpansHandlers = [...shared, http.get('*/agl/v1/spans', () => HttpResponse.json([]))];

export const failingSpansHandlers = [
  ...shared,
  http.get('*/agl/v1/spans', () => HttpResponse.json({ detail: 'store unavailable' }, { status: 503 })),
];

export const selectedAgentRun = {
  ui: { routerState: { traces: { rolloutId: AGENT_RUN_ROLLOUT_ID, attemptId: null } } },
};
