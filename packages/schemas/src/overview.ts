/**
 * The training overview (our extension under `/v1/agl/overview`, docs/protocol.md §8.8): how a run is going over time
 * and per policy version, answered by the server from incrementally kept rollups so each chart is one cheap query
 * whatever the store's size. Times are float epoch seconds; a bucket covers `[start, start + bucket_seconds)`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { EpochSeconds, Nullable } from './helpers.js';
import { RolloutModeSchema } from './rollouts.js';

const optional = <T extends ReturnType<typeof Type.Number>>(schema: T) => Nullable(schema, { default: null });

/** What every overview query takes: a time range and the modes it covers (absent: all). */
export const OverviewQuerySchema = Type.Object(
  {
    since: optional(Type.Number({ description: 'epoch seconds; null: from the first rollout' })),
    until: optional(Type.Number({ description: 'epoch seconds; null: now' })),
    mode_in: Nullable(Type.Array(RolloutModeSchema), { default: null }),
    bucket_seconds: Nullable(
      Type.Integer({ minimum: 60, description: 'a multiple of 60; null: chosen so the range has at most 120 buckets' }),
      { default: null },
    ),
  },
  { $id: 'OverviewQuery' },
);
export type OverviewQuery = Static<typeof OverviewQuerySchema>;

/** A distribution of rewards: exact count, mean, min and max; quantiles estimated (see protocol.md §8.8). */
export const RewardStatsSchema = Type.Object(
  {
    count: Type.Integer(),
    mean: Nullable(Type.Number()),
    min: Nullable(Type.Number()),
    p10: Nullable(Type.Number()),
    p25: Nullable(Type.Number()),
    median: Nullable(Type.Number()),
    p75: Nullable(Type.Number()),
    p90: Nullable(Type.Number()),
    max: Nullable(Type.Number()),
  },
  { $id: 'RewardStats' },
);
export type RewardStats = Static<typeof RewardStatsSchema>;

/** Headline numbers: the store as it is now, and what happened in the range. */
export const OverviewSummarySchema = Type.Object(
  {
    since: Nullable(EpochSeconds),
    until: EpochSeconds,
    /** Rollouts by status now (within the modes asked), all statuses present. */
    rollouts_by_status: Type.Record(Type.String(), Type.Integer()),
    /** Rollouts that ended in the range, by outcome. */
    finished: Type.Object({ succeeded: Type.Integer(), failed: Type.Integer(), cancelled: Type.Integer() }),
    /** Finished rollouts per minute over the range. */
    throughput_per_minute: Type.Number(),
    /** succeeded / (succeeded + failed) of the rollouts that ended in the range; null when none did. */
    success_rate: Nullable(Type.Number()),
    /** Attempts started in the range that were retries (sequence id > 1), over all attempts started in it. */
    retry_rate: Nullable(Type.Number()),
    /** Attempt outcomes in the range. */
    attempt_failures: Type.Object({ failed: Type.Integer(), timeout: Type.Integer(), unresponsive: Type.Integer() }),
    /** Rewards of the rollouts that ended in the range. */
    reward: RewardStatsSchema,
    /** The reward of the rollout that ended last (in the range), with when it ended. */
    latest_reward: Nullable(Type.Object({ rollout_id: Type.String(), reward: Type.Number(), end_time: EpochSeconds })),
    /** Workers busy now. */
    active_workers: Type.Integer(),
  },
  { $id: 'OverviewSummary' },
);
export type OverviewSummary = Static<typeof OverviewSummarySchema>;

/** One time bucket of the run. */
export const TimelineBucketSchema = Type.Object(
  {
    start: EpochSeconds,
    finished: Type.Object({ succeeded: Type.Integer(), failed: Type.Integer(), cancelled: Type.Integer() }),
    attempt_failures: Type.Object({ failed: Type.Integer(), timeout: Type.Integer(), unresponsive: Type.Integer() }),
    /** Rollouts created, and attempts started (retries: sequence id > 1). */
    started: Type.Object({ rollouts: Type.Integer(), attempts: Type.Integer(), retries: Type.Integer() }),
    /** Queued rollouts (queuing + requeuing) as last sampled in the bucket; null when no sample fell in it. */
    queue_depth: Nullable(Type.Integer()),
    reward: RewardStatsSchema,
  },
  { $id: 'TimelineBucket' },
);
export type TimelineBucket = Static<typeof TimelineBucketSchema>;

export const TimelineSchema = Type.Object(
  {
    since: EpochSeconds,
    until: EpochSeconds,
    bucket_seconds: Type.Integer(),
    /** Every bucket of the range in order, empty ones included. */
    buckets: Type.Array(TimelineBucketSchema),
  },
  { $id: 'Timeline' },
);
export type Timeline = Static<typeof TimelineSchema>;

/** Rewards per policy version: one entry per resources snapshot that finished rollouts used, in snapshot order. */
export const PolicyRewardsSchema = Type.Object(
  {
    policies: Type.Array(
      Type.Object({
        /** null: rollouts that named no resources. */
        resources_id: Nullable(Type.String()),
        /** When the snapshot was first written; null when the store does not know it. */
        create_time: Nullable(EpochSeconds),
        reward: RewardStatsSchema,
      }),
    ),
  },
  { $id: 'PolicyRewards' },
);
export type PolicyRewards = Static<typeof PolicyRewardsSchema>;
