import { describe, expect, it } from 'vitest';
import type { Span } from '@agl/schemas';
import { AGENT_RUN_IDS as ID, agentRunSpans } from '../fixtures';
import { syntheticSpans } from '../fixtures/synthetic';
import { buildSpanTree, flattenVisible, toggleCollapsed } from './spanTree';

const names = (rows: ReturnType<typeof flattenVisible>) => rows.map((r) => `${'-'.repeat(r.depth)}${r.node.span.name}`);

describe('buildSpanTree on the agent run', () => {
  const tree = buildSpanTree(agentRunSpans());

  it('puts the agent root and the orphan at the root, ordered by start time', () => {
    expect(tree.roots.map((n) => n.span.span_id)).toEqual([ID.root, ID.orphan]);
    expect(tree.roots.map((n) => n.orphan)).toEqual([false, true]);
  });

  it('orders children by start time, not arrival order, and breaks start ties by sequence id', () => {
    const root = tree.byId.get(ID.root)!;
    expect(root.children.map((n) => n.span.span_id)).toEqual([
      ID.llmGenAi,
      ID.tool,
      ID.llmOpenInference, // sequence 5 …
      ID.errorTool, // … before sequence 4, which started later
      ID.reward,
      ID.step,
      ID.agentopsTask,
      ID.annotation,
    ]);
    const step = tree.byId.get(ID.step)!;
    expect(step.children.map((n) => n.span.sequence_id)).toEqual([8, 9, 13]);
  });

  it('counts children and descendants and lists the parents', () => {
    expect(tree.byId.get(ID.root)!.children).toHaveLength(8);
    expect(tree.byId.get(ID.root)!.descendantCount).toBe(11);
    expect(tree.byId.get(ID.step)!.descendantCount).toBe(3);
    expect(tree.byId.get(ID.tool)!.descendantCount).toBe(0);
    expect([...tree.parentIds].sort()).toEqual([ID.root, ID.step].sort());
  });

  it('flattens all 13 spans in pre-order with depths when nothing is collapsed', () => {
    const rows = flattenVisible(tree, new Set());
    expect(rows).toHaveLength(13);
    expect(names(rows).slice(0, 9)).toEqual([
      'calc_agent.run',
      '-openai.chat.completion',
      '-tool.calculator',
      '-litellm.completion',
      '-tool.web_search',
      '-agentlightning.reward',
      '-agent.step',
      '--openai.chat.completion',
      '--tool.calculator',
    ]);
    expect(names(rows).at(-1)).toBe('http.request');
  });

  it('hides the descendants of collapsed spans and marks the row collapsed', () => {
    const rows = flattenVisible(tree, new Set([ID.step]));
    expect(rows).toHaveLength(10);
    expect(rows.find((r) => r.node.span.span_id === ID.step)!.collapsed).toBe(true);
    expect(flattenVisible(tree, new Set([ID.root]))).toHaveLength(2);
    // A collapsed leaf is not "collapsed": there is nothing to hide.
    expect(flattenVisible(tree, new Set([ID.tool])).find((r) => r.node.span.span_id === ID.tool)!.collapsed).toBe(
      false,
    );
  });

  it('keeps collapse state across a refresh that adds spans, because it is keyed by span id', () => {
    const collapsed = new Set([ID.step]);
    const more: Span = { ...agentRunSpans()[0]!, span_id: 'abcdefabcdef0001', parent_id: ID.step, sequence_id: 14 };
    const refreshed = buildSpanTree([...agentRunSpans(), more]);
    expect(refreshed.byId.get(ID.step)!.children).toHaveLength(4);
    expect(flattenVisible(refreshed, collapsed)).toHaveLength(10);
  });
});

describe('buildSpanTree edge cases', () => {
  const base = agentRunSpans()[0]!;
  const span = (id: string, parent: string | null, seq: number, start: number | null): Span => ({
    ...base,
    span_id: id,
    parent_id: parent,
    sequence_id: seq,
    start_time: start,
  });

  it('lifts spans caught in a parent cycle to the root, marked as orphans', () => {
    const tree = buildSpanTree([span('a', 'b', 1, 1), span('b', 'a', 2, 2), span('c', 'c', 3, 3)]);
    const rows = flattenVisible(tree, new Set());
    expect(rows.map((r) => r.node.span.span_id).sort()).toEqual(['a', 'b', 'c']);
    expect(tree.roots.every((n) => n.orphan)).toBe(true);
  });

  it('keeps the first of duplicated span ids and sorts spans without a start last', () => {
    const tree = buildSpanTree([span('r', null, 1, null), span('r', null, 2, 5), span('s', null, 3, 9)]);
    expect(tree.roots.map((n) => `${n.span.span_id}${n.span.sequence_id}`)).toEqual(['s3', 'r1']);
  });

  it('handles 10,000 spans and a 10,000-deep chain without recursion', () => {
    const wide = buildSpanTree(syntheticSpans(10_000));
    expect(flattenVisible(wide, new Set())).toHaveLength(10_000);
    expect(flattenVisible(wide, new Set(wide.parentIds))).toHaveLength(1);
    const chain = Array.from({ length: 10_000 }, (_, i) => span(`n${i}`, i === 0 ? null : `n${i - 1}`, i + 1, i));
    const deep = flattenVisible(buildSpanTree(chain), new Set());
    expect(deep.at(-1)!.depth).toBe(9_999);
  });

  it('toggleCollapsed returns a new set', () => {
    const a = new Set<string>();
    const b = toggleCollapsed(a, 'x');
    expect(a.has('x')).toBe(false);
    expect(b.has('x')).toBe(true);
    expect(toggleCollapsed(b, 'x').has('x')).toBe(false);
  });
});
