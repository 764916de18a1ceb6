/**
 * Enumerations of the LightningStore wire protocol (docs/protocol.md §3.1).
 * Values are listed in declaration order: validation messages quote them in this order.
 */
export const ROLLOUT_STATUSES = [
  'queuing',
  'preparing',
  'running',
  'failed',
  'succeeded',
  'cancelled',
  'requeuing',
] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

export const ATTEMPT_STATUSES = ['preparing', 'running', 'failed', 'succeeded', 'unresponsive', 'timeout'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export const ROLLOUT_MODES = ['train', 'val', 'test'] as const;
export type RolloutMode = (typeof ROLLOUT_MODES)[number];

export const PROMPT_TEMPLATE_ENGINES = ['jinja', 'f-string', 'poml'] as const;
export type PromptTemplateEngine = (typeof PROMPT_TEMPLATE_ENGINES)[number];

/** Statuses of the groups named in §3.1. */
export const QUEUED_STATUSES: readonly RolloutStatus[] = ['queuing', 'requeuing'];
export const ACTIVE_STATUSES: readonly RolloutStatus[] = ['preparing', 'running'];
export const TERMINAL_STATUSES: readonly RolloutStatus[] = ['failed', 'succeeded', 'cancelled'];

export function isTerminalRolloutStatus(status: RolloutStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function isQueuedRolloutStatus(status: RolloutStatus): boolean {
  return QUEUED_STATUSES.includes(status);
}

/** A worker holds the rollout: it is preparing or running an attempt. */
export function isActiveRolloutStatus(status: RolloutStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}
