/** What the simulated run did, recorded as it happens, so tests (and the CLI) can check the store against it. */
import type { RolloutMode } from '@agl/schemas';
import type { ExpectedStatus, Trouble } from './scenario.js';
import type { RewardStyle } from './spans.js';

export interface PlannedRollout {
  rollout_id: string;
  task_id: string;
  batch: number;
  mode: RolloutMode;
  trouble: Trouble;
  /** The status the scenario leads to. */
  expected: ExpectedStatus;
  resources_id: string | null;
}

export interface AttemptRef {
  rollout_id: string;
  attempt_id: string;
  worker_id: string;
}

export interface SpanRef {
  rollout_id: string;
  attempt_id: string;
  span_id: string;
  name: string;
}

export interface RewardRecord extends SpanRef {
  value: number;
  style: RewardStyle;
}

export interface DemoSummary {
  seed: number;
  speed: number;
  /** Batches enqueued (the last may be unfinished after `stop()`). */
  batches: number;
  /** Snapshot IDs the trainer published, oldest first. */
  resources: string[];
  rollouts: PlannedRollout[];
  /** Rollouts a runner claimed for a second (or later) attempt. */
  retried: string[];
  /** Attempts that ran past `timeout_seconds` on purpose. */
  timedOut: AttemptRef[];
  /** Attempts whose runner went silent (no more spans): the watchdog should mark them `unresponsive`. */
  silenced: AttemptRef[];
  /** Attempts reported `failed` by their runner. */
  failedAttempts: AttemptRef[];
  /** Rollouts the trainer cancelled. */
  cancelled: string[];
  errorSpans: SpanRef[];
  rewards: RewardRecord[];
  /** Spans stored, across all attempts. */
  spans: number;
  /** True when `stop()` ended the run (rather than finite mode completing). */
  stopped: boolean;
}

export type SummaryLists = Omit<DemoSummary, 'seed' | 'speed' | 'batches' | 'spans' | 'stopped'>;

export function emptyLists(): SummaryLists {
  return {
    resources: [],
    rollouts: [],
    retried: [],
    timedOut: [],
    silenced: [],
    failedAttempts: [],
    cancelled: [],
    errorSpans: [],
    rewards: [],
  };
}
