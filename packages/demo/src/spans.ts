/**
 * Span builders shaped like what agent-lightning runners export: an agent root span, `gen_ai.*` LLM-call spans
 * (OpenLLMetry/AgentOps attribute names, plus the token-id arrays the training proxy records), tool spans, and
 * reward spans in both conventions (v0.2 `agentlightning.reward`, v0.3 `agentlightning.annotation`).
 */
import type { Attributes, OtelResource, SpanEvent } from '@agl/schemas';
import type { SpanInput } from '@agl/client';
import { tokenIds } from './tasks.js';

export interface TraceContext {
  rolloutId: string;
  attemptId: string;
  traceId: string;
  resource: OtelResource;
}

export interface SpanDraft {
  spanId: string;
  parentId: string | null;
  name: string;
  /** Float epoch seconds. */
  start: number;
  end: number;
  attributes: Attributes;
  error?: string;
  events?: SpanEvent[];
}

export function buildSpan(trace: TraceContext, sequenceId: number, draft: SpanDraft): SpanInput {
  const context = (spanId: string) => ({ trace_id: trace.traceId, span_id: spanId, is_remote: false, trace_state: {} });
  return {
    rollout_id: trace.rolloutId,
    attempt_id: trace.attemptId,
    sequence_id: sequenceId,
    trace_id: trace.traceId,
    span_id: draft.spanId,
    parent_id: draft.parentId,
    name: draft.name,
    status:
      draft.error === undefined
        ? { status_code: 'OK', description: null }
        : { status_code: 'ERROR', description: draft.error },
    attributes: draft.attributes,
    events: draft.events ?? [],
    links: [],
    start_time: draft.start,
    end_time: draft.end,
    context: context(draft.spanId),
    parent: draft.parentId === null ? null : context(draft.parentId),
    resource: trace.resource,
  };
}

export function runnerResource(workerId: string): OtelResource {
  return {
    attributes: {
      'service.name': 'agentlightning-runner',
      'agentlightning.worker_id': workerId,
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'python',
      'telemetry.sdk.version': '1.27.0',
    },
    schema_url: '',
  };
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

export interface LlmCall {
  model: string;
  sampling: Record<string, unknown>;
  prompt: ChatMessage[];
  completion: string;
  /** Set when the model answered with a tool call instead of text. */
  toolCall?: { name: string; arguments: string };
}

export function llmAttributes(call: LlmCall): Attributes {
  const attributes: Attributes = {
    'gen_ai.system': 'openai',
    'llm.request.type': 'chat',
    'gen_ai.request.model': call.model,
    'gen_ai.response.model': call.model,
  };
  for (const key of ['temperature', 'top_p', 'max_tokens'] as const) {
    const value = call.sampling[key];
    if (typeof value === 'number') attributes[`gen_ai.request.${key}`] = value;
  }
  call.prompt.forEach((message, i) => {
    attributes[`gen_ai.prompt.${i}.role`] = message.role;
    attributes[`gen_ai.prompt.${i}.content`] = message.content;
  });
  attributes['gen_ai.completion.0.role'] = 'assistant';
  attributes['gen_ai.completion.0.content'] = call.completion;
  attributes['gen_ai.completion.0.finish_reason'] = call.toolCall ? 'tool_calls' : 'stop';
  if (call.toolCall) {
    attributes['gen_ai.completion.0.tool_calls.0.name'] = call.toolCall.name;
    attributes['gen_ai.completion.0.tool_calls.0.arguments'] = call.toolCall.arguments;
  }
  const promptIds = tokenIds(call.prompt.map((m) => `<|im_start|>${m.role} ${m.content}`).join(' '));
  const responseIds = tokenIds(call.completion);
  attributes['gen_ai.usage.prompt_tokens'] = promptIds.length;
  attributes['gen_ai.usage.completion_tokens'] = responseIds.length;
  attributes['llm.usage.total_tokens'] = promptIds.length + responseIds.length;
  attributes['prompt_token_ids'] = promptIds;
  attributes['response_token_ids'] = responseIds;
  return attributes;
}

export function toolAttributes(name: string, args: string, output: string | null, callId: string): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': name,
    'gen_ai.tool.call.id': callId,
    'tool.parameters': args,
  };
  if (output !== null) attributes['tool.output'] = output;
  return attributes;
}

/** The OTel `exception` event recorded on a span whose operation raised. */
export function exceptionEvent(type: string, message: string, at: number): SpanEvent {
  return {
    name: 'exception',
    attributes: {
      'exception.type': type,
      'exception.message': message,
      'exception.stacktrace': `Traceback (most recent call last):\n  File "agent.py", line 88, in call_tool\n${type}: ${message}`,
      'exception.escaped': false,
    },
    timestamp: at,
  };
}

export type RewardStyle = 'reward' | 'annotation';

/** The reward span's name and attributes in the given convention. */
export function rewardSpan(style: RewardStyle, value: number): { name: string; attributes: Attributes } {
  return style === 'reward'
    ? { name: 'agentlightning.reward', attributes: { reward: value } }
    : {
        name: 'agentlightning.annotation',
        attributes: { 'agentlightning.reward.0.name': 'accuracy', 'agentlightning.reward.0.value': value },
      };
}
