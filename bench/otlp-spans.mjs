// Span batches for the OTLP benchmark: real OpenTelemetry SDK spans shaped like an agent-lightning runner's (an LLM
// call with prompt, completion and token ids, then a tool call under it), one tracer per rollout whose resource carries
// the routing ids, collected 512 at a time the way a BatchSpanProcessor hands them to the exporter.
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider } from '@opentelemetry/sdk-trace';

export const BATCH = 512;

const PROMPT = 'You are a helpful SQL agent. Given the schema below, answer the question with one query. '.repeat(3);
const COMPLETION = 'SELECT name, COUNT(*) FROM orders GROUP BY name ORDER BY 2 DESC LIMIT 5;';
const TOKEN_IDS = Array.from({ length: 48 }, (_, i) => 1000 + i * 37);

/** Collects ended spans; `take()` hands over what has accumulated. */
class Collector {
  spans = [];
  onStart() {}
  onEnd(span) {
    this.spans.push(span);
  }
  forceFlush() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
  take() {
    const spans = this.spans;
    this.spans = [];
    return spans;
  }
}

/** A source of batches for rollouts `[{ rid, aid }]`, cycling through them batch by batch. */
export function spanSource(rollouts) {
  const collector = new Collector();
  const tracers = rollouts.map(({ rid, aid }) =>
    new TracerProvider({
      resource: resourceFromAttributes({
        'service.name': 'agl-runner',
        'agentlightning.rollout_id': rid,
        'agentlightning.attempt_id': aid,
      }),
      spanProcessors: [collector],
    }).getTracer('agentlightning', '0.3.0'),
  );
  let next = 0;
  return {
    /** 512 finished SDK spans of the next rollout. */
    batch() {
      const tracer = tracers[next++ % tracers.length];
      for (let turn = 0; turn < BATCH / 2; turn++) {
        const llm = tracer.startSpan('openai.chat.completion', {
          kind: SpanKind.CLIENT,
          attributes: {
            'gen_ai.system': 'openai',
            'gen_ai.request.model': 'Qwen2.5-1.5B-Instruct',
            'gen_ai.request.temperature': 0.7,
            'gen_ai.usage.prompt_tokens': 812,
            'gen_ai.usage.completion_tokens': 96,
            'gen_ai.prompt.0.content': PROMPT,
            'gen_ai.completion.0.content': COMPLETION,
            prompt_token_ids: TOKEN_IDS,
          },
        });
        llm.addEvent('first_token', { 'token.index': 0 });
        llm.setStatus({ code: SpanStatusCode.OK });
        tracer
          .startSpan(
            'tool.execute_sql',
            { attributes: { 'tool.name': 'execute_sql', rows: 5 } },
            trace.setSpan(context.active(), llm),
          )
          .end();
        llm.end();
      }
      return collector.take();
    },
    /** The next batch as the official protobuf serialiser encodes it (what the proto exporter posts). */
    body() {
      return Buffer.from(ProtobufTraceSerializer.serializeRequest(this.batch()));
    },
  };
}
