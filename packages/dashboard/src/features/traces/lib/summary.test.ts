import { describe, expect, it } from 'vitest';
import { AGENT_RUN_IDS as ID, agentRunSpans } from '../fixtures';
import { isErrorSpan, summarizeAttempt } from './summary';

describe('summarizeAttempt', () => {
  it('counts LLM calls, their tokens, errors and the final reward of the agent run', () => {
    expect(summarizeAttempt(agentRunSpans())).toEqual({
      spanCount: 13,
      llmCalls: 3,
      totalTokens: 79 + 102 + 106,
      errorCount: 1,
      finalReward: 1,
    });
  });

  it('is all zeros and no reward for an attempt without spans', () => {
    expect(summarizeAttempt([])).toEqual({
      spanCount: 0,
      llmCalls: 0,
      totalTokens: 0,
      errorCount: 0,
      finalReward: null,
    });
  });

  it('treats any casing of ERROR as an error', () => {
    const span = agentRunSpans().find((s) => s.span_id === ID.tool)!;
    expect(isErrorSpan({ ...span, status: { status_code: 'error', description: null } })).toBe(true);
    expect(isErrorSpan(span)).toBe(false);
  });
});
