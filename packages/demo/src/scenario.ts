/**
 * The scenario: what each rollout of the simulated run will go through, decided up front from the seed so that the
 * same seed gives the same run whatever runner claims what. Every attempt of a rollout follows a script chosen by
 * its sequence number; troubles (retried failures, a timeout, a silent runner, a cancelled straggler) are placed
 * in the first batches so that even a one-minute demo shows each, then recur at realistic rates.
 */
import type { RolloutConfig, RolloutMode } from '@agl/schemas';
import { Rng, deriveSeed } from './rng.js';
import { makeTask, type MathTask } from './tasks.js';

export type Trouble = 'none' | 'flaky' | 'doomed' | 'slow' | 'crash' | 'straggler';
/** What one attempt does: finish well, fail, loop past its timeout, go silent, or run until cancelled. */
export type AttemptScript = 'succeed' | 'fail' | 'hang' | 'silent' | 'straggle';
export type ExpectedStatus = 'succeeded' | 'failed' | 'cancelled';

const SCRIPTS: Record<Trouble, AttemptScript[]> = {
  none: ['succeed'],
  flaky: ['fail', 'succeed'], // failed, retried, then fine
  doomed: ['fail', 'fail', 'fail'], // uses up max_attempts (3): failed for good
  slow: ['hang', 'succeed'], // attempt 1 exceeds timeout_seconds → `timeout` → retried
  crash: ['silent', 'succeed'], // the runner stops heartbeating → `unresponsive` → retried
  straggler: ['straggle'], // runs until the trainer cancels it
};
const EXPECTED: Record<Trouble, ExpectedStatus> = {
  none: 'succeeded',
  flaky: 'succeeded',
  doomed: 'failed',
  slow: 'succeeded',
  crash: 'succeeded',
  straggler: 'cancelled',
};
/** Shown early in every run, in this order. */
const GUARANTEED: Trouble[] = ['flaky', 'crash', 'straggler', 'slow', 'doomed'];
/** Later per-rollout rates (cumulative thresholds): failures are common, hard crashes rare. */
const RATES: [Trouble, number][] = [
  ['flaky', 0.1],
  ['doomed', 0.13],
  ['slow', 0.16],
  ['crash', 0.18],
  ['straggler', 0.2],
];

/** Durations in seconds at the chosen speed (base values are for speed 1, divided by speed). */
export interface Timing {
  speed: number;
  llmSeconds: [number, number];
  toolSeconds: [number, number];
  /** `timeout_seconds` of every rollout. */
  timeoutSeconds: number;
  /** `unresponsive_seconds`: well above the longest gap between a healthy attempt's spans. */
  unresponsiveSeconds: number;
  /** How long a hung attempt keeps heartbeating; ending before the timeout, yet less than U before it. */
  hangActiveSeconds: number;
  /** Slack after a deadline before checking what the watchdog did (its background timer ticks every 1 s). */
  watchdogSlackSeconds: number;
  /** How long a silent runner stays away before it comes back (a restarted worker). */
  silentRestartSeconds: number;
  /** A straggler is cancelled once it is running and this old. */
  stragglerGraceSeconds: number;
  /** Idle runners poll the queue this often; the trainer's wait slices last this long. */
  pollSeconds: number;
}

export function timingFor(speed: number): Timing {
  if (!(speed > 0)) throw new Error(`demo speed must be positive, got ${speed}`);
  const s = (seconds: number) => Math.round((seconds / speed) * 1000) / 1000;
  const timeoutSeconds = s(20);
  return {
    speed,
    llmSeconds: [s(0.6), s(2.5)],
    toolSeconds: [s(0.05), s(0.4)],
    timeoutSeconds,
    unresponsiveSeconds: s(8),
    hangActiveSeconds: s(14),
    watchdogSlackSeconds: 1.2 + s(1),
    silentRestartSeconds: s(8) + 1.5,
    stragglerGraceSeconds: s(5),
    pollSeconds: Math.min(1, Math.max(0.05, s(0.5))),
  };
}

export interface RolloutPlan {
  index: number;
  batch: number;
  task: MathTask;
  mode: RolloutMode;
  trouble: Trouble;
  expected: ExpectedStatus;
  /** Which of the two reward-span conventions this rollout's runner uses. */
  rewardStyle: 'reward' | 'annotation';
  config: RolloutConfig;
}

export class Scenario {
  private readonly rng: Rng;
  private readonly plans = new Map<string, RolloutPlan>();
  private readonly guaranteed = [...GUARANTEED];
  private nextIndex = 0;

  constructor(
    readonly seed: number,
    readonly timing: Timing,
  ) {
    this.rng = new Rng(seed);
  }

  planBatch(batch: number, count: number): RolloutPlan[] {
    const troubles: Trouble[] = Array.from({ length: count }, () => 'none');
    const positions = this.rng.shuffle([...troubles.keys()]);
    const forced = this.guaranteed.splice(0, Math.ceil(count / 2));
    forced.forEach((trouble, i) => (troubles[positions[i] as number] = trouble));
    for (const position of positions.slice(forced.length)) {
      const draw = this.rng.next();
      troubles[position] = RATES.find(([, threshold]) => draw < threshold)?.[0] ?? 'none';
    }
    return troubles.map((trouble) => {
      const index = this.nextIndex++;
      // Retries need a train config; the straggler is a validation rollout nobody waits for.
      const mode: RolloutMode =
        trouble === 'straggler' ? 'val' : trouble !== 'none' ? 'train' : this.rng.chance(0.25) ? 'val' : 'train';
      const plan: RolloutPlan = {
        index,
        batch,
        task: makeTask(this.rng, index),
        mode,
        trouble,
        expected: EXPECTED[trouble],
        rewardStyle: this.rng.chance(0.5) ? 'reward' : 'annotation',
        config: this.configFor(mode),
      };
      this.plans.set(plan.task.task_id, plan);
      return plan;
    });
  }

  private configFor(mode: RolloutMode): RolloutConfig {
    const limits = {
      timeout_seconds: this.timing.timeoutSeconds,
      unresponsive_seconds: this.timing.unresponsiveSeconds,
    };
    return mode === 'train'
      ? { ...limits, max_attempts: 3, retry_condition: ['failed', 'timeout', 'unresponsive'] }
      : { ...limits, max_attempts: 1, retry_condition: [] };
  }

  /** The plan behind a rollout's `input.task_id`; `undefined` for rollouts the demo did not enqueue. */
  planFor(taskId: unknown): RolloutPlan | undefined {
    return typeof taskId === 'string' ? this.plans.get(taskId) : undefined;
  }

  scriptFor(plan: RolloutPlan | undefined, attemptSequence: number): AttemptScript {
    if (!plan) return 'succeed';
    return SCRIPTS[plan.trouble][attemptSequence - 1] ?? 'succeed';
  }

  /** The randomness of one attempt (durations, answers, rewards), independent of scheduling. */
  attemptRng(plan: RolloutPlan | undefined, attemptSequence: number): Rng {
    return new Rng(deriveSeed(this.seed, plan?.index ?? 1_000_000 + this.nextIndex, attemptSequence));
  }
}
