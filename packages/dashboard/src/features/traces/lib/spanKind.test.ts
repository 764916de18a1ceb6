import { describe, expect, it } from 'vitest';
import { AGENT_RUN_IDS as ID, agentRunSpans } from '../fixtures';
import { spanFacts } from './spanKind';

const spans = agentRunSpans();
const kindOf = (id: string) => spanFacts(spans.find((s) => s.span_id === id)!).kind;

describe('spanFacts', () => {
  it('classifies the agent run', () => {
    expect(kindOf(ID.root)).toBe('other');
    expect(kindOf(ID.llmGenAi)).toBe('llm');
    expect(kindOf(ID.llmOpenInference)).toBe('llm');
    expect(kindOf(ID.tool)).toBe('tool');
    expect(kindOf(ID.errorTool)).toBe('error');
    expect(kindOf(ID.reward)).toBe('reward');
    expect(kindOf(ID.annotation)).toBe('reward');
    expect(kindOf(ID.agentopsTask)).toBe('reward');
    expect(kindOf(ID.orphan)).toBe('other');
  });

  it('keeps the reward and LLM details for the marks', () => {
    const facts = spanFacts(spans.find((s) => s.span_id === ID.annotation)!);
    expect(facts.reward!.primary).toBe(1);
    expect(spanFacts(spans.find((s) => s.span_id === ID.llmGenAi)!).llm!.totalTokens).toBe(79);
  });
});
