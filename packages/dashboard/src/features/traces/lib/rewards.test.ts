import { describe, expect, it } from 'vitest';
import type { Span } from '@agl/schemas';
import { AGENT_RUN_IDS as ID, agentRunSpans } from '../fixtures';
import { extractReward, finalReward, formatReward } from './rewards';

const spans = agentRunSpans();
const byId = (id: string) => spans.find((s) => s.span_id === id)!;
const withAttrs = (attributes: Span['attributes'], name = 'x'): Span => ({ ...byId(ID.tool), name, attributes });

describe('extractReward', () => {
  it('reads agentlightning.reward spans from the `reward` attribute', () => {
    expect(extractReward(byId(ID.reward))).toEqual({
      style: 'reward',
      primary: 0.5,
      dimensions: [{ name: null, value: 0.5 }],
    });
  });

  it('reads annotation rewards with index 0 as the primary value, dimensions in index order', () => {
    expect(extractReward(byId(ID.annotation))).toEqual({
      style: 'annotation',
      primary: 1,
      dimensions: [
        { name: 'task_success', value: 1 },
        { name: 'efficiency', value: 0.6 },
      ],
    });
    const unordered = withAttrs({
      'agentlightning.reward.10.value': 3,
      'agentlightning.reward.2.value': 2,
      'agentlightning.reward.0.value': '0.25',
    });
    expect(extractReward(unordered)!.dimensions.map((d) => d.value)).toEqual([0.25, 2, 3]);
  });

  it('reads agentops task/entity output JSON of type reward', () => {
    expect(extractReward(byId(ID.agentopsTask))).toMatchObject({ style: 'agentops', primary: 0.75 });
    expect(extractReward(withAttrs({ 'agentops.entity.output': '{"type":"reward","value":-1}' }))!.primary).toBe(-1);
  });

  it('ignores other outputs and ordinary spans', () => {
    expect(extractReward(withAttrs({ 'agentops.task.output': '{"type":"answer","value":1}' }))).toBeNull();
    expect(extractReward(withAttrs({ 'agentops.task.output': 'not json' }))).toBeNull();
    expect(extractReward(byId(ID.llmGenAi))).toBeNull();
    expect(extractReward(byId(ID.root))).toBeNull();
  });

  it('keeps reward spans without a number as rewards with a null value', () => {
    expect(extractReward(withAttrs({}, 'agentlightning.reward'))).toMatchObject({ style: 'reward', primary: null });
    expect(extractReward(withAttrs({ reward: 'n/a' }, 'agentlightning.reward'))!.primary).toBeNull();
  });
});

describe('finalReward', () => {
  it("is the last reward span's primary value by sequence id", () => {
    expect(finalReward(spans)).toBe(1);
    expect(finalReward([...spans].reverse())).toBe(1);
    expect(finalReward(spans.filter((s) => s.span_id !== ID.annotation))).toBe(0.75);
  });

  it('skips trailing reward spans without a value, and is null without rewards', () => {
    const empty: Span = { ...withAttrs({}, 'agentlightning.reward'), sequence_id: 99 };
    expect(finalReward([...spans, empty])).toBe(1);
    expect(finalReward([byId(ID.root), byId(ID.tool)])).toBeNull();
  });
});

describe('formatReward', () => {
  it('shows up to three decimals', () => {
    expect([1, 0.75, 1 / 3, -0.5, null].map(formatReward)).toEqual(['1', '0.75', '0.333', '-0.5', 'N/A']);
  });
});
