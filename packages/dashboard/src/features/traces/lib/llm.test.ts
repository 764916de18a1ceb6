import { describe, expect, it } from 'vitest';
import type { Span } from '@agl/schemas';
import { AGENT_RUN_IDS as ID, agentRunSpans } from '../fixtures';
import { extractLlmCall, llmCallTokens } from './llm';

const spans = agentRunSpans();
const byId = (id: string) => spans.find((s) => s.span_id === id)!;

describe('extractLlmCall, gen_ai form', () => {
  const call = extractLlmCall(byId(ID.llmGenAi))!;

  it('reads prompt then completion messages in index order with roles', () => {
    expect(call.messages.map((m) => `${m.side}:${m.role}`)).toEqual([
      'prompt:system',
      'prompt:user',
      'completion:assistant',
    ]);
    expect(call.messages[1]!.text).toBe('What is (17 * 23) + 4? <b>Answer in plain text.</b>');
  });

  it('reads tool calls and finish reason of the completion', () => {
    const completion = call.messages[2]!;
    expect(completion.finishReason).toBe('tool_calls');
    expect(completion.toolCalls).toEqual([
      { id: 'call_7f3a', name: 'calculator', arguments: '{"expression": "17 * 23"}' },
    ]);
  });

  it('reads model, usage and token ids as counts', () => {
    expect(call.model).toBe('Qwen/Qwen2.5-1.5B-Instruct');
    expect([call.promptTokens, call.completionTokens, call.totalTokens]).toEqual([58, 21, 79]);
    expect(call.tokenIds.map((t) => [t.key, t.count])).toEqual([
      ['prompt_token_ids', 58],
      ['response_token_ids', 21],
    ]);
    expect(call.tokenIds[0]!.ids[0]).toBe(151644);
  });

  it('joins text content parts and sums usage when no total is reported', () => {
    const nested = extractLlmCall(byId(ID.llmNested))!;
    expect(nested.messages.find((m) => m.role === 'user')!.text).toBe(
      'What is (17 * 23) + 4? <b>Answer in plain text.</b>',
    );
    expect(nested.totalTokens).toBe(106);
    // Markup in a completion is just text to this layer; the UI renders it as text.
    expect(nested.messages.at(-1)!.text).toBe('<script>alert(1)</script>395');
  });
});

describe('extractLlmCall, OpenInference form', () => {
  const call = extractLlmCall(byId(ID.llmOpenInference))!;

  it('reads input and output messages', () => {
    expect(call.messages.map((m) => `${m.side}:${m.role}:${m.index}`)).toEqual([
      'prompt:system:0',
      'prompt:user:1',
      'prompt:tool:2',
      'completion:assistant:0',
    ]);
    expect(call.messages[3]!.text).toBe('17 * 23 = 391; I will now add 4.');
  });

  it('reads model name, token counts and JSON-text token ids', () => {
    expect(call.model).toBe('hosted_vllm/Qwen/Qwen2.5-1.5B-Instruct');
    expect([call.promptTokens, call.completionTokens, call.totalTokens]).toEqual([88, 14, 102]);
    expect(call.tokenIds.map((t) => [t.key, t.count])).toEqual([
      ['llm.hosted_vllm.prompt_token_ids', 88],
      ['llm.hosted_vllm.response_token_ids', 14],
    ]);
  });
});

describe('extractLlmCall on other spans', () => {
  it('returns null for tool, reward and agent spans', () => {
    for (const id of [ID.root, ID.tool, ID.reward, ID.annotation, ID.orphan, ID.errorTool]) {
      expect(extractLlmCall(byId(id))).toBeNull();
    }
  });

  it('counts tokens from token ids when no usage is reported; unreadable ids count as unknown', () => {
    const span: Span = {
      ...byId(ID.tool),
      attributes: { prompt_token_ids: [1, 2, 3], response_token_ids: 'oops' },
    };
    const call = extractLlmCall(span)!;
    expect(call.messages).toEqual([]);
    expect(call.totalTokens).toBeNull();
    expect(call.tokenIds.map((t) => t.count)).toEqual([3, null]);
    expect(llmCallTokens(call)).toBe(3);
  });

  it('defaults a role that was not sent and shows non-text content verbatim', () => {
    const span: Span = {
      ...byId(ID.tool),
      attributes: { 'gen_ai.prompt.0.content': '[{"type":"image_url","image_url":{"url":"x"}}]' },
    };
    const [message] = extractLlmCall(span)!.messages;
    expect(message!.role).toBe('user');
    expect(message!.text).toBe('[{"type":"image_url","image_url":{"url":"x"}}]');
  });
});
