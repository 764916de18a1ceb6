/**
 * What a span is, for the tree's marks and bar colours. One span has one kind; an error wins over everything else
 * because a failed LLM or tool call is first of all a failure.
 */
import type { Span } from '@agl/schemas';
import { extractLlmCall, type LlmCall } from './llm';
import { extractReward, type SpanReward } from './rewards';
import { isErrorSpan } from './summary';

export type SpanKind = 'error' | 'reward' | 'llm' | 'tool' | 'other';

export interface SpanFacts {
  kind: SpanKind;
  error: boolean;
  reward: SpanReward | null;
  llm: LlmCall | null;
}

export function spanFacts(span: Span): SpanFacts {
  const error = isErrorSpan(span);
  const reward = extractReward(span);
  const llm = reward ? null : extractLlmCall(span);
  const kind: SpanKind = error ? 'error' : reward ? 'reward' : llm ? 'llm' : isToolSpan(span) ? 'tool' : 'other';
  return { kind, error, reward, llm };
}

function isToolSpan(span: Span): boolean {
  const attributes = span.attributes ?? {};
  return (
    attributes['agentops.span.kind'] === 'tool' ||
    attributes['openinference.span.kind'] === 'TOOL' ||
    typeof attributes['tool.name'] === 'string' ||
    span.name.startsWith('tool.')
  );
}
