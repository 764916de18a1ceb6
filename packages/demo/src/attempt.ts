/**
 * One attempt being executed by a runner: simulated LLM and tool calls that take (scaled) time and become spans,
 * each posted when it ends, as OpenTelemetry exporters do, with a sequence ID from `POST /spans/next`.
 */
import type { AttemptedRollout, Attributes } from '@agl/schemas';
import type { DemoContext } from './context.js';
import { nowSeconds } from './control.js';
import { spanId, traceId, type Rng } from './rng.js';
import type { RolloutPlan } from './scenario.js';
import {
  buildSpan,
  exceptionEvent,
  llmAttributes,
  runnerResource,
  toolAttributes,
  type LlmCall,
  type SpanDraft,
} from './spans.js';
import type { MathTask } from './tasks.js';

/** The model and prompt the runner takes from the rollout's resources snapshot. */
export interface AgentResources {
  model: string;
  sampling: Record<string, unknown>;
  template: string;
}

export class AttemptRun {
  readonly rolloutId: string;
  readonly attemptId: string;
  readonly rootSpanId = spanId();
  /** Local clock at claim time; the server's attempt start is a request earlier, never later. */
  readonly claimedAt = nowSeconds();
  private readonly trace;

  constructor(
    readonly ctx: DemoContext,
    readonly claimed: AttemptedRollout,
    readonly workerId: string,
    readonly plan: RolloutPlan | undefined,
    readonly task: MathTask,
    readonly resources: AgentResources,
    readonly rng: Rng,
  ) {
    this.rolloutId = claimed.rollout_id;
    this.attemptId = claimed.attempt.attempt_id;
    this.trace = {
      rolloutId: this.rolloutId,
      attemptId: this.attemptId,
      traceId: traceId(),
      resource: runnerResource(workerId),
    };
  }

  get ref() {
    return { rollout_id: this.rolloutId, attempt_id: this.attemptId, worker_id: this.workerId };
  }

  get elapsed(): number {
    return nowSeconds() - this.claimedAt;
  }

  get opts() {
    return { signal: this.ctx.control.signal };
  }

  /** Allocates a sequence ID and stores the span (a heartbeat for this attempt). */
  async emit(draft: Omit<SpanDraft, 'spanId'> & { spanId?: string }): Promise<string> {
    const { client, record, counters } = this.ctx;
    const sequenceId = await client.nextSpanSequenceId(this.rolloutId, this.attemptId, this.opts);
    const span = buildSpan(this.trace, sequenceId, { ...draft, spanId: draft.spanId ?? spanId() });
    await client.addSpan(span, this.opts);
    counters.spans++;
    if (draft.error !== undefined) {
      record.errorSpans.push({
        rollout_id: this.rolloutId,
        attempt_id: this.attemptId,
        span_id: span.span_id,
        name: span.name,
      });
    }
    return span.span_id;
  }

  /** Sleeps for a span's simulated duration; returns [start, end] in epoch seconds. */
  async work(range: [number, number]): Promise<[number, number]> {
    const start = nowSeconds();
    await this.ctx.control.sleep(this.rng.float(range[0], range[1]));
    return [start, nowSeconds()];
  }

  async llm(call: Omit<LlmCall, 'model' | 'sampling'>): Promise<void> {
    const [start, end] = await this.work(this.ctx.timing.llmSeconds);
    const attributes = llmAttributes({ ...call, model: this.resources.model, sampling: this.resources.sampling });
    await this.emit({ parentId: this.rootSpanId, name: 'openai.chat.completion', start, end, attributes });
  }

  /** A calculator call; `failure` makes it raise (ERROR status plus an `exception` event). */
  async tool(args: string, output: string, callId: string, failure?: [type: string, message: string]): Promise<void> {
    const [start, end] = await this.work(this.ctx.timing.toolSeconds);
    await this.emit({
      parentId: this.rootSpanId,
      name: 'execute_tool calculator',
      start,
      end,
      attributes: toolAttributes('calculator', args, failure ? null : output, callId),
      ...(failure
        ? { error: `${failure[0]}: ${failure[1]}`, events: [exceptionEvent(failure[0], failure[1], end)] }
        : {}),
    });
  }

  /** The agent's root span, posted last because it ends last. */
  async finishRoot(extra: Attributes, error?: string): Promise<void> {
    const attributes: Attributes = {
      'agent.name': 'math_agent',
      'agentlightning.rollout_id': this.rolloutId,
      'agentlightning.attempt_id': this.attemptId,
      'task.id': this.task.task_id,
      ...extra,
    };
    const root = { spanId: this.rootSpanId, parentId: null, name: 'math_agent', attributes };
    await this.emit({ ...root, start: this.claimedAt, end: nowSeconds(), ...(error === undefined ? {} : { error }) });
  }
}
