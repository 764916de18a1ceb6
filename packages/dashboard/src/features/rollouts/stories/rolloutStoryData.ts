/** Rollouts for the page's stories, and msw handlers that serve them. Stories only — never proof the app works. */
import { delay, http, HttpResponse } from 'msw';
import { isTerminalRolloutStatus } from '@agl/schemas';
import type { Attempt, AttemptStatus, RolloutStatus, RolloutWithAttempt } from '@agl/schemas';
import { makeAttempt, makeRollout, rolloutId } from '../testData';

const now = Date.now() / 1000;

function rollout(n: number, status: RolloutStatus, attempt?: Partial<Attempt> & { status: AttemptStatus }) {
  const id = rolloutId(0xa000 + n);
  const start = now - 3_600 + n * 97;
  return makeRollout({
    rollout_id: id,
    status,
    start_time: start,
    end_time: isTerminalRolloutStatus(status) ? start + 120 + n * 13 : null,
    mode: (['train', 'val', 'test'] as const)[n % 3],
    resources_id: `rs-${(n % 2) + 1}`,
    input: { task: `Task ${n}`, question: `What is ${n} × ${n + 1}?` },
    attempt: attempt && {
      attempt_id: `at-${(0xb000 + n).toString(16).padStart(8, '0')}`,
      start_time: start + 2,
      end_time: attempt.status === 'failed' || attempt.status === 'succeeded' ? start + 95 + n * 11 : null,
      worker_id: `worker-${n % 3}`,
      last_heartbeat_time: attempt.status === 'running' ? now - 4 : null,
      ...attempt,
    },
  });
}

/** Every rollout status, and rows whose latest attempt agrees with the rollout. */
export const everyStatus: RolloutWithAttempt[] = [
  rollout(1, 'queuing'),
  rollout(2, 'preparing', { status: 'preparing' }),
  rollout(3, 'running', { status: 'running' }),
  rollout(4, 'succeeded', { status: 'succeeded', last_heartbeat_time: now - 600 }),
  rollout(5, 'failed', { status: 'failed' }),
  rollout(6, 'cancelled'),
  rollout(7, 'requeuing'),
];

/** Rollouts whose latest attempt tells a different story: the Status column shows both. */
export const compositeStatuses: RolloutWithAttempt[] = [
  rollout(11, 'requeuing', { status: 'timeout', sequence_id: 2 }),
  rollout(12, 'failed', { status: 'unresponsive', last_heartbeat_time: now - 900 }),
  rollout(13, 'cancelled', { status: 'running' }),
  rollout(14, 'requeuing', { status: 'failed' }),
];

/** A rollout on its third attempt, and the attempts the nested table loads. */
export const retried = rollout(21, 'running', { status: 'running', sequence_id: 3, worker_id: 'worker-2' });
export const retriedAttempts: Attempt[] = [1, 2, 3].map((sequence) =>
  makeAttempt({
    rollout_id: retried.rollout_id,
    attempt_id: `at-c0ffee0${sequence}`,
    sequence_id: sequence,
    start_time: retried.start_time + sequence * 300,
    end_time: sequence < 3 ? retried.start_time + sequence * 300 + 240 : null,
    status: sequence < 3 ? (['failed', 'timeout'] as const)[sequence - 1]! : 'running',
    worker_id: `worker-${sequence}`,
    last_heartbeat_time: sequence === 3 ? now - 2 : null,
  }),
);
retried.attempt = retriedAttempts[2];

/** Inputs far past 35 characters, with unicode and nesting; and an attempt-less rollout with a null input. */
export const longInputs: RolloutWithAttempt[] = [
  { ...rollout(31, 'queuing'), input: 'Résume ce texte en une phrase, s’il te plaît : « Le chat dort au soleil. » 🐈‍⬛' },
  {
    ...rollout(32, 'queuing'),
    input: { messages: [{ role: 'user', content: '日本語の長い質問文がここに入ります。'.repeat(3) }] },
  },
  { ...rollout(33, 'queuing'), input: null },
  { ...rollout(34, 'queuing'), input: 12345.678 },
];

/** Many plain rows, for paging. */
export const manyRollouts: RolloutWithAttempt[] = Array.from({ length: 250 }, (_, i) =>
  rollout(100 + i, i % 4 === 0 ? 'succeeded' : 'queuing', i % 4 === 0 ? { status: 'succeeded' } : undefined),
);

export function rolloutsHandlers(rollouts: RolloutWithAttempt[], attempts: Record<string, Attempt[]> = {}) {
  return [
    http.get('*/agl/v1/health', () => HttpResponse.json({ status: 'ok' })),
    http.get('*/agl/v1/rollouts', () => HttpResponse.json(rollouts)),
    http.get('*/agl/v1/rollouts/:id/attempts', async ({ params }) => {
      // A short wait, so the nested table's loading state is real rather than skipped.
      await delay(150);
      return HttpResponse.json(attempts[params.id as string] ?? []);
    }),
  ];
}

export const loadingHandlers = [
  http.get('*/agl/v1/health', () => HttpResponse.json({ status: 'ok' })),
  http.get('*/agl/v1/rollouts', async () => {
    await delay('infinite');
    return HttpResponse.json([]);
  }),
];

export const failingHandlers = [
  http.get('*/agl/v1/health', () => HttpResponse.json({ status: 'ok' })),
  http.get('*/agl/v1/rollouts', () => HttpResponse.json({ detail: 'database is locked' }, { status: 500 })),
];
