/**
 * Rewards, read once for everyone: the store derives each attempt's final reward from its spans with these functions
 * as they arrive (docs/protocol.md §8.8), and the dashboard reads reward spans with them. Reward spans come in the
 * three forms Agent-lightning and AgentOps emit:
 *  - `agentlightning.reward` with the value in attribute `reward` (v0.2 `emit_reward`);
 *  - `agentlightning.annotation` with `agentlightning.reward.N.value` / `.name` (index 0 is the primary reward);
 *  - any span carrying `agentops.task.output` / `agentops.entity.output` JSON `{"type":"reward","value":x}`.
 */
import type { AttributeValue, Span } from './spans.js';

export type RewardStyle = 'reward' | 'annotation' | 'agentops';

export interface RewardDimension {
  name: string | null;
  value: number | null;
}

export interface SpanReward {
  style: RewardStyle;
  /** Index 0 of the dimensions; `null` when the span is a reward span without a usable number. */
  primary: number | null;
  dimensions: RewardDimension[];
}

const ANNOTATION_KEY = /^agentlightning\.reward\.(\d+)\.(value|name)$/;
const AGENTOPS_OUTPUT_KEYS = ['agentops.task.output', 'agentops.entity.output'] as const;

export function extractReward(span: Span): SpanReward | null {
  const attributes = span.attributes ?? {};
  if (span.name === 'agentlightning.reward') {
    const value = toNumber(attributes.reward);
    return { style: 'reward', primary: value, dimensions: [{ name: null, value }] };
  }
  const dimensions = annotationDimensions(attributes);
  if (dimensions.length > 0) {
    return { style: 'annotation', primary: dimensions[0]?.value ?? null, dimensions };
  }
  for (const key of AGENTOPS_OUTPUT_KEYS) {
    const value = agentopsRewardValue(attributes[key]);
    if (value !== undefined) return { style: 'agentops', primary: value, dimensions: [{ name: null, value }] };
  }
  return null;
}

/** The attempt's final reward: the primary value of the last reward span (by sequence id) that has a number. */
export function finalReward(spans: readonly Span[]): number | null {
  let best: { sequence: number; value: number } | null = null;
  for (const span of spans) {
    if (best !== null && span.sequence_id < best.sequence) continue;
    const value = extractReward(span)?.primary;
    if (typeof value === 'number') best = { sequence: span.sequence_id, value };
  }
  return best?.value ?? null;
}

function annotationDimensions(attributes: Record<string, AttributeValue>): RewardDimension[] {
  const byIndex = new Map<number, RewardDimension>();
  for (const [key, raw] of Object.entries(attributes)) {
    const match = ANNOTATION_KEY.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const dimension = byIndex.get(index) ?? { name: null, value: null };
    if (match[2] === 'value') dimension.value = toNumber(raw);
    else dimension.name = typeof raw === 'string' ? raw : String(raw);
    byIndex.set(index, dimension);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, dimension]) => dimension);
}

/** `undefined` when the attribute is not a reward payload at all; `null` when it is one without a number. */
function agentopsRewardValue(raw: AttributeValue | undefined): number | null | undefined {
  if (typeof raw !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { type?: unknown }).type !== 'reward') {
    return undefined;
  }
  return toNumber((parsed as { value?: unknown }).value);
}

function toNumber(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'string' && raw.trim() !== '') {
    const value = Number(raw);
    return Number.isFinite(value) ? value : null;
  }
  return null;
}
