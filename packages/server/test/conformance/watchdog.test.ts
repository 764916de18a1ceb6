/**
 * Conformance L30–L38: the watchdog (timeouts, unresponsiveness, background timer), recovery and late data
 * (docs/protocol.md §5.5, §5.12, §7f). These tests wait on real time, so each runs concurrently on its own server with
 * the default watchdog settings (request debounce 0 s, timer every 1 s).
 */
import { describe, expect, it } from 'vitest';
import { engines, sleep } from '../helpers/http.js';
import {
  addSpan,
  dequeue,
  expectRecentTime,
  expectStatus,
  getRollout,
  latestAttempt,
  listAttempts,
  startAttempt,
  startRollout,
  updateAttempt,
  withServer,
} from './fixtures.js';

const config = (c: Record<string, unknown>) => ({ input: null, config: c });

// Both engines' suites run at once too: these tests mostly sleep.
describe.concurrent('watchdog conformance', () => {
  describe.each(engines)('%s', (engine) => {
    it.concurrent('L30 a running attempt past timeout_seconds is timed out by the very next request', async () => {
      await withServer(engine, async (api) => {
        const started = await startRollout(
          api,
          config({ timeout_seconds: 0.1, retry_condition: ['timeout'], max_attempts: 2 }),
        );
        await addSpan(api, started.rollout_id, started.attempt.attempt_id, 1);
        await sleep(150);
        const rollout = await getRollout(api, started.rollout_id);
        expect(rollout.status).toBe('requeuing');
        expect(rollout.attempt).toMatchObject({
          attempt_id: started.attempt.attempt_id,
          status: 'timeout',
          end_time: null,
        });
      });
    });

    it.concurrent('L31 an unresponsive attempt without retry fails the rollout', async () => {
      await withServer(engine, async (api) => {
        const started = await startRollout(api, config({ unresponsive_seconds: 0.2 }));
        await addSpan(api, started.rollout_id, started.attempt.attempt_id, 1);
        await sleep(300);
        const rollout = await getRollout(api, started.rollout_id);
        expect(rollout.attempt).toMatchObject({ status: 'unresponsive', end_time: null });
        expect(rollout.status).toBe('failed');
        expectRecentTime(rollout.end_time);
      });
    });

    it.concurrent('L32 an unresponsive attempt with retry re-queues the rollout for attempt 2', async () => {
      await withServer(engine, async (api) => {
        const body = config({ unresponsive_seconds: 0.2, retry_condition: ['unresponsive'], max_attempts: 2 });
        const started = await startRollout(api, body);
        await sleep(300);
        const rollout = await getRollout(api, started.rollout_id);
        expect(rollout.attempt.status).toBe('unresponsive');
        expect(rollout).toMatchObject({ status: 'requeuing', end_time: null });
        const retry = await dequeue(api);
        expect(retry).toMatchObject({
          rollout_id: started.rollout_id,
          attempt: { sequence_id: 2, status: 'preparing' },
        });
      });
    });

    it.concurrent("L34 timeout counts from the attempt's own start_time", async () => {
      await withServer(engine, async (api) => {
        const started = await startRollout(api, config({ timeout_seconds: 1 }));
        const rolloutStartedAt = Date.now();
        await sleep(800);
        const retry = await startAttempt(api, started.rollout_id);
        const retryStartedAt = Date.now();
        await sleep(Math.max(0, rolloutStartedAt + 1200 - Date.now()));
        // Past the rollout's deadline, but only ~0.4 s into attempt 2: not timed out.
        const early = await latestAttempt(api, started.rollout_id);
        expect(Date.now() - retryStartedAt, 'machine too slow for this bound').toBeLessThan(1000);
        expect(early).toMatchObject({ attempt_id: retry.attempt.attempt_id, status: 'preparing' });
        await sleep(Math.max(0, retryStartedAt + 1200 - Date.now()));
        expect((await latestAttempt(api, started.rollout_id)).status).toBe('timeout');
        expect((await getRollout(api, started.rollout_id)).status).toBe('failed');
      });
    });

    it.concurrent('L35 the background timer enforces limits with no traffic', async () => {
      await withServer(engine, async (api) => {
        const started = await startRollout(api, config({ timeout_seconds: 0.3 }));
        const t0 = Date.now();
        const res = await api('POST', '/waits/rollouts', { rollout_ids: [started.rollout_id], timeout: 3 });
        const elapsed = Date.now() - t0;
        const done = expectStatus(res, 200);
        expect(done).toHaveLength(1);
        expect(done[0]).toMatchObject({ rollout_id: started.rollout_id, status: 'failed' });
        expect(elapsed).toBeLessThan(2500);
      });
    });

    it.concurrent('L36 a span recovers a rollout requeuing because its attempt went unresponsive', async () => {
      await withServer(engine, async (api) => {
        const body = config({ unresponsive_seconds: 0.3, retry_condition: ['unresponsive'], max_attempts: 2 });
        const started = await startRollout(api, body);
        await sleep(450);
        expect(await getRollout(api, started.rollout_id)).toMatchObject({
          status: 'requeuing',
          attempt: { status: 'unresponsive' },
        });
        await addSpan(api, started.rollout_id, started.attempt.attempt_id, 1);
        // Read the rollout before anything else can scan: the fresh heartbeat keeps it running for 0.3 s.
        expect(await getRollout(api, started.rollout_id)).toMatchObject({
          status: 'running',
          attempt: { attempt_id: started.attempt.attempt_id, status: 'running' },
        });
        expect(await dequeue(api)).toBeNull();
      });
    });

    it.concurrent('L37 after a recovery the attempt finishes the rollout without a new attempt', async () => {
      await withServer(engine, async (api) => {
        // The unresponsive report is made by hand (the watchdog path is L32/L36) so no deadline can interfere.
        for (const final of ['succeeded', 'failed']) {
          const started = await startRollout(api, config({ retry_condition: ['unresponsive'], max_attempts: 2 }));
          const { rollout_id, attempt } = started;
          await updateAttempt(api, rollout_id, attempt.attempt_id, { status: 'unresponsive' });
          expect((await getRollout(api, rollout_id)).status).toBe('requeuing');
          await addSpan(api, rollout_id, attempt.attempt_id, 1);
          expect((await getRollout(api, rollout_id)).status).toBe('running');
          await updateAttempt(api, rollout_id, attempt.attempt_id, { status: final });
          expect(await getRollout(api, rollout_id)).toMatchObject({ status: final, attempt: { sequence_id: 1 } });
          expect(await listAttempts(api, rollout_id)).toHaveLength(1);
          expect(await dequeue(api)).toBeNull();
        }
      });
    });

    it.concurrent('L38 late spans for an old unresponsive attempt do not drive the rollout', async () => {
      await withServer(engine, async (api) => {
        const started = await startRollout(api, config({ retry_condition: ['unresponsive'], max_attempts: 2 }));
        const { rollout_id, attempt } = started;
        await updateAttempt(api, rollout_id, attempt.attempt_id, { status: 'unresponsive' });
        const retry = await dequeue(api);
        expect(retry.attempt.sequence_id).toBe(2);
        await addSpan(api, rollout_id, attempt.attempt_id, 1);
        const [first, second] = await listAttempts(api, rollout_id);
        expect(first).toMatchObject({ attempt_id: attempt.attempt_id, status: 'running' });
        expectRecentTime(first.last_heartbeat_time);
        expect(second).toMatchObject({ attempt_id: retry.attempt.attempt_id, status: 'preparing' });
        expect((await getRollout(api, rollout_id)).status).toBe('preparing');
      });
    });
  });
});

// Not concurrent: every server shares this process's event loop, and other tests' work would stretch the 0.1 s cadence.
describe.each(engines)('watchdog heartbeat cadence (%s)', (engine) => {
  it('L33 spans keep an attempt responsive; without spans it counts from start_time', async () => {
    await withServer(engine, async (api) => {
      // The silent one is created first so that the live attempt's first span follows its start at once.
      const silent = await startRollout(api, config({ unresponsive_seconds: 0.3 }));
      const live = await startRollout(api, config({ unresponsive_seconds: 0.3 }));
      const startedAt = Date.now();
      // Spans go out on a fixed 0.1 s schedule (not "0.1 s after the last one") so slow requests don't stretch gaps.
      for (let seq = 1; Date.now() - startedAt < 1000; seq++) {
        await addSpan(api, live.rollout_id, live.attempt.attempt_id, seq);
        // Each read runs a watchdog scan, so a lapse in the heartbeat would show up here.
        expect((await latestAttempt(api, live.rollout_id)).status).toBe('running');
        await sleep(Math.max(0, startedAt + seq * 100 - Date.now()));
      }
      expect(await getRollout(api, live.rollout_id)).toMatchObject({
        status: 'running',
        attempt: { status: 'running' },
      });
      expect((await latestAttempt(api, silent.rollout_id)).status).toBe('unresponsive');
    });
  });
});
