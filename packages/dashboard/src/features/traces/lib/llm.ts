/**
 * Reads an LLM-call span as a conversation. Two attribute conventions exist in the wild:
 *  - OpenLLMetry / AgentOps: `gen_ai.prompt.N.role|content`, `gen_ai.completion.N.role|content` (+ tool calls);
 *  - OpenInference (LiteLLM, Phoenix): `llm.input_messages.N.message.role|content`, `llm.output_messages.…`.
 * Token ids (`prompt_token_ids`, `response_token_ids`, `llm.hosted_vllm.*_token_ids`) come as arrays or as JSON text
 * of arrays; they are reported as counts because thousands of integers are unreadable.
 */
import type { AttributeValue, Span } from '@agl/schemas';

export type MessageSide = 'prompt' | 'completion';

export interface ToolCall {
  id: string | null;
  name: string | null;
  arguments: string | null;
}

export interface ChatMessage {
  side: MessageSide;
  index: number;
  role: string;
  /** Plain text: content-part arrays (`[{type:'text', text}]`) are joined, anything else kept verbatim. */
  text: string;
  finishReason: string | null;
  toolCalls: ToolCall[];
}

export interface TokenIds {
  key: string;
  /** `null` when the attribute could not be read as a list. */
  count: number | null;
  ids: readonly (number | string | boolean)[];
}

export interface LlmCall {
  model: string | null;
  messages: ChatMessage[];
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
  tokenIds: TokenIds[];
}

const MESSAGE_KEY = /^(?:gen_ai\.(prompt|completion)\.(\d+)\.(.+)|llm\.(input|output)_messages\.(\d+)\.message\.(.+))$/;
const MODEL_KEYS = ['gen_ai.response.model', 'gen_ai.request.model', 'llm.model_name'];
const PROMPT_TOKEN_KEYS = ['gen_ai.usage.prompt_tokens', 'gen_ai.usage.input_tokens', 'llm.token_count.prompt'];
const COMPLETION_TOKEN_KEYS = [
  'gen_ai.usage.completion_tokens',
  'gen_ai.usage.output_tokens',
  'llm.token_count.completion',
];
const TOTAL_TOKEN_KEYS = ['llm.usage.total_tokens', 'gen_ai.usage.total_tokens', 'llm.token_count.total'];

export function isTokenIdsKey(key: string): boolean {
  return key.endsWith('token_ids');
}

/** `null` when the span carries none of the LLM attributes above. */
export function extractLlmCall(span: Span): LlmCall | null {
  const attributes = span.attributes ?? {};
  const messages = new Map<string, ChatMessage>();
  const tokenIds: TokenIds[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (isTokenIdsKey(key)) {
      tokenIds.push(readTokenIds(key, value));
      continue;
    }
    const match = MESSAGE_KEY.exec(key);
    if (!match) continue;
    const side: MessageSide = match[1] === 'prompt' || match[4] === 'input' ? 'prompt' : 'completion';
    const index = Number(match[2] ?? match[5]);
    const field = (match[3] ?? match[6])!;
    const id = `${side}.${index}`;
    const message = messages.get(id) ?? emptyMessage(side, index);
    messages.set(id, message);
    applyField(message, field, value);
  }
  const model = firstString(attributes, MODEL_KEYS);
  const hasUsage = [...PROMPT_TOKEN_KEYS, ...COMPLETION_TOKEN_KEYS, ...TOTAL_TOKEN_KEYS].some((k) => k in attributes);
  if (messages.size === 0 && tokenIds.length === 0 && model === null && !hasUsage) return null;

  const promptTokens = firstNumber(attributes, PROMPT_TOKEN_KEYS);
  const completionTokens = firstNumber(attributes, COMPLETION_TOKEN_KEYS);
  const total = firstNumber(attributes, TOTAL_TOKEN_KEYS);
  const summed =
    promptTokens !== null || completionTokens !== null ? (promptTokens ?? 0) + (completionTokens ?? 0) : null;
  const ordered = [...messages.values()].sort((a, b) =>
    a.side === b.side ? a.index - b.index : a.side === 'prompt' ? -1 : 1,
  );
  tokenIds.sort((a, b) => a.key.localeCompare(b.key));
  return { model, messages: ordered, promptTokens, completionTokens, totalTokens: total ?? summed, tokenIds };
}

/** Tokens an LLM call used: reported usage, else the number of token ids it carries. */
export function llmCallTokens(call: LlmCall): number {
  if (call.totalTokens !== null) return call.totalTokens;
  return call.tokenIds.reduce((sum, entry) => sum + (entry.count ?? 0), 0);
}

function emptyMessage(side: MessageSide, index: number): ChatMessage {
  return { side, index, role: side === 'prompt' ? 'user' : 'assistant', text: '', finishReason: null, toolCalls: [] };
}

const TOOL_CALL_FIELD = /^tool_calls\.(\d+)\.(id|name|arguments)$/;

function applyField(message: ChatMessage, field: string, value: AttributeValue): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (field === 'role') message.role = text;
  else if (field === 'content') message.text = contentText(text);
  else if (field === 'finish_reason') message.finishReason = text;
  else {
    const call =
      TOOL_CALL_FIELD.exec(field) ?? /^tool_calls\.(\d+)\.tool_call\.function\.(name|arguments)$/.exec(field);
    if (!call) return;
    const index = Number(call[1]);
    while (message.toolCalls.length <= index) message.toolCalls.push({ id: null, name: null, arguments: null });
    message.toolCalls[index]![call[2] as keyof ToolCall] = text;
  }
}

/** OpenAI content parts arrive as JSON text; show their text parts, and anything else as it was sent. */
function contentText(raw: string): string {
  if (!raw.startsWith('[')) return raw;
  try {
    const parts: unknown = JSON.parse(raw);
    if (!Array.isArray(parts)) return raw;
    const texts = parts.map((part: unknown) =>
      typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string'
        ? (part as { text: string }).text
        : null,
    );
    return texts.every((t) => t !== null) && texts.length > 0 ? texts.join('\n') : raw;
  } catch {
    return raw;
  }
}

function readTokenIds(key: string, value: AttributeValue): TokenIds {
  if (Array.isArray(value)) return { key, count: value.length, ids: value };
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) return { key, count: parsed.length, ids: parsed as (number | string)[] };
    } catch {
      // fall through: not JSON, shown as unreadable
    }
  }
  return { key, count: null, ids: [] };
}

function firstString(attributes: Record<string, AttributeValue>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

function firstNumber(attributes: Record<string, AttributeValue>, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = attributes[key];
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number === 'number' && Number.isFinite(number)) return number;
  }
  return null;
}
