/** The attempt header: how many LLM calls, how many tokens they used, and the final reward. */
import type { Span } from '@agl/schemas';
import { extractLlmCall, llmCallTokens } from './llm';
import { finalReward } from './rewards';

export interface AttemptSummary {
  spanCount: number;
  llmCalls: number;
  totalTokens: number;
  errorCount: number;
  finalReward: number | null;
}

export function summarizeAttempt(spans: readonly Span[]): AttemptSummary {
  let llmCalls = 0;
  let totalTokens = 0;
  let errorCount = 0;
  for (const span of spans) {
    if (isErrorSpan(span)) errorCount += 1;
    const call = extractLlmCall(span);
    if (call === null) continue;
    llmCalls += 1;
    totalTokens += llmCallTokens(call);
  }
  return { spanCount: spans.length, llmCalls, totalTokens, errorCount, finalReward: finalReward(spans) };
}

/** OTel's ERROR; generation A accepts any status string, so compare without case. */
export function isErrorSpan(span: Span): boolean {
  return span.status?.status_code?.toUpperCase() === 'ERROR';
}
