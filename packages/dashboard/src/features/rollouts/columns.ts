import type { RolloutColumn } from './rolloutSort';

/** Header text of each data column, in display order (design spec, "Rollouts"); Actions follows them. */
export const COLUMN_LABELS: Record<RolloutColumn, string> = {
  rollout: 'Rollout',
  attempt: 'Attempt',
  input: 'Input',
  status: 'Status',
  resources: 'Resources ID',
  mode: 'Mode',
  startTime: 'Start Time',
  duration: 'Duration',
  heartbeat: 'Last Heartbeat',
  worker: 'Worker ID',
};

/** Data columns plus Actions. */
export const COLUMN_COUNT = Object.keys(COLUMN_LABELS).length + 1;

/** Text of a missing value: no attempt, no worker, no mode, no resources. */
export const NOT_AVAILABLE = 'N/A';
