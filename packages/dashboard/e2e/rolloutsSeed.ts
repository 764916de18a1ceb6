/**
 * Real data for the Rollouts page, written through the typed client (`@agl/client`) as trainers and runners write
 * it: one rollout in every situation the page must show (queued, running, retried three times, failed, succeeded,
 * cancelled, timed out, unresponsive), plus plain queued rollouts to fill more than one page.
 */
import type { AttemptUpdate, RolloutInput } from '@agl/client';
import type { AttemptedRollout } from '@agl/schemas';
import type { StoreServer } from './store';

export interface SeededRollouts {
  queued: string;
  running: string;
  retried: string;
  failed: string;
  succeeded: string;
  cancelled: string;
  timeout: string;
  unresponsive: string;
  /** The filler rollouts, in creation order. */
  bulk: string[];
}

/** An input longer than the 35-character limit, with unicode, to check the cut and the hover. */
export const LONG_INPUT = { question: 'Combien font 2 + 2 ? Réponds en détail, s’il te plaît 🙏', tags: ['math'] };

export async function seedRollouts(store: StoreServer, bulkCount = 120): Promise<SeededRollouts> {
  const { client } = store;
  const start = (body: RolloutInput) => client.startRollout(body);
  const updateAttempt = (r: AttemptedRollout, body: AttemptUpdate) =>
    client.updateAttempt(r.rollout_id, r.attempt.attempt_id, body);
  const retry = (rolloutId: string) => client.startAttempt(rolloutId);
  const now = () => Date.now() / 1000;

  // The filler first: it is the oldest, so the rollouts under test are on the first page, newest first.
  const bulk: string[] = [];
  for (let i = 0; i < bulkCount; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, bulkCount - i) }, (_, j) =>
        client.enqueueRollout({ input: { n: i + j }, mode: 'train' }),
      ),
    );
    bulk.push(...batch.map((r) => r.rollout_id));
  }

  const queued = await client.enqueueRollout({
    input: 'What is the capital of France?',
    mode: 'val',
    resources_id: 'rs-e2e-b',
  });

  const running = await start({ input: { task: 'add', a: 1, b: 2 }, mode: 'train', resources_id: 'rs-e2e-a' });
  await updateAttempt(running, { status: 'running', worker_id: 'worker-1', last_heartbeat_time: now() });

  // Three attempts: two failures retried by hand, then a success.
  const retried = await start({
    input: LONG_INPUT,
    mode: 'train',
    resources_id: 'rs-e2e-a',
    config: { max_attempts: 3, retry_condition: ['failed'] },
  });
  await updateAttempt(retried, { status: 'failed', worker_id: 'worker-1' });
  const second = await retry(retried.rollout_id);
  await updateAttempt(second, { status: 'failed', worker_id: 'worker-2' });
  const third = await retry(retried.rollout_id);
  await updateAttempt(third, { status: 'running', worker_id: 'worker-2', last_heartbeat_time: now() });
  await updateAttempt(third, { status: 'succeeded' });

  const failed = await start({ input: 42, mode: 'test', resources_id: 'rs-e2e-b' });
  await updateAttempt(failed, { status: 'failed', worker_id: 'worker-2' });

  const succeeded = await start({ input: null, mode: 'train', resources_id: 'rs-e2e-a' });
  await updateAttempt(succeeded, { status: 'running', worker_id: 'worker-3', last_heartbeat_time: now() });
  await updateAttempt(succeeded, { status: 'succeeded' });

  // Cancelling a rollout leaves its attempt running (docs/protocol.md §4.8): the composite status shows both.
  const cancelled = await start({ input: { task: 'cancel me' }, mode: 'val' });
  await updateAttempt(cancelled, { status: 'running', worker_id: 'worker-3' });
  await client.updateRollout(cancelled.rollout_id, { status: 'cancelled' });

  // The watchdog turns these into `timeout` and `unresponsive` one second after they start (§5.5).
  const timeout = await start({ input: { task: 'slow' }, mode: 'train', config: { timeout_seconds: 1 } });
  const unresponsive = await start({
    input: { task: 'silent' },
    mode: 'train',
    config: { unresponsive_seconds: 1, max_attempts: 2, retry_condition: ['unresponsive'] },
  });

  // Wait for the watchdog's verdicts so every test starts from the final statuses.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const all = await client.listRollouts();
    const status = (id: string) => all.find((r) => r.rollout_id === id)?.attempt?.status;
    if (status(timeout.rollout_id) === 'timeout' && status(unresponsive.rollout_id) === 'unresponsive') break;
    if (Date.now() > deadline) throw new Error('the watchdog did not mark the timeout/unresponsive rollouts');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    queued: queued.rollout_id,
    running: running.rollout_id,
    retried: retried.rollout_id,
    failed: failed.rollout_id,
    succeeded: succeeded.rollout_id,
    cancelled: cancelled.rollout_id,
    timeout: timeout.rollout_id,
    unresponsive: unresponsive.rollout_id,
    bulk,
  };
}
