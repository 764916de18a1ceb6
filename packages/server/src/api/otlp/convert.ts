/**
 * An OTLP trace request as store spans (§8.7). Each span is routed by `agentlightning.rollout_id` and
 * `agentlightning.attempt_id`, read from its own attributes first and then from its resource's, and stringified;
 * `agentlightning.span_sequence_id` (an integer or a numeric string, same precedence) fixes its sequence id, otherwise
 * it gets `-1` and the store allocates the next one. A span without both routing ids is skipped, with a reason.
 */
import type { AttributeValue, Attributes, OtelResource, Span, SpanContext, TraceStatus } from '@agl/schemas';
import type { OtlpSpan, OtlpTraceRequest } from './schema.js';
import { nanosToSeconds, toAttributes, toHex } from './values.js';

export const ROLLOUT_ID = 'agentlightning.rollout_id';
export const ATTEMPT_ID = 'agentlightning.attempt_id';
export const SPAN_SEQUENCE_ID = 'agentlightning.span_sequence_id';

/** A negative sequence id asks the store to allocate one (lifecycle `addSpans`). */
const ALLOCATE = -1;

export interface Conversion {
  /** Spans that carry both routing ids, in request order. */
  spans: Span[];
  /** Spans skipped here, counted by reason. */
  skipped: SkipCounter;
}

export function spansFromRequest(request: OtlpTraceRequest): Conversion {
  const spans: Span[] = [];
  const skipped = new SkipCounter();
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resourceAttributes = toAttributes(resourceSpans.resource?.attributes);
    // One object shared by the resource's spans: it is only ever serialised, never changed.
    const resource: OtelResource = { attributes: resourceAttributes, schema_url: resourceSpans.schemaUrl ?? '' };
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const otlpSpan of scopeSpans.spans ?? []) {
        const attributes = toAttributes(otlpSpan.attributes);
        const rolloutId = routingId(attributes[ROLLOUT_ID] ?? resourceAttributes[ROLLOUT_ID]);
        const attemptId = routingId(attributes[ATTEMPT_ID] ?? resourceAttributes[ATTEMPT_ID]);
        if (rolloutId === null || attemptId === null) {
          skipped.add(`missing ${rolloutId === null ? ROLLOUT_ID : ATTEMPT_ID}`);
          continue;
        }
        const sequenceId = sequenceIdOf(attributes[SPAN_SEQUENCE_ID] ?? resourceAttributes[SPAN_SEQUENCE_ID]);
        spans.push(toSpan(otlpSpan, { rolloutId, attemptId, sequenceId, attributes, resource }));
      }
    }
  }
  return { spans, skipped };
}

interface Placement {
  rolloutId: string;
  attemptId: string;
  sequenceId: number;
  attributes: Attributes;
  resource: OtelResource;
}

function toSpan(span: OtlpSpan, placement: Placement): Span {
  const traceId = hexId(span.traceId, 32);
  const spanId = hexId(span.spanId, 16);
  return {
    rollout_id: placement.rolloutId,
    attempt_id: placement.attemptId,
    sequence_id: placement.sequenceId,
    trace_id: traceId,
    span_id: spanId,
    parent_id: span.parentSpanId && span.parentSpanId.length > 0 ? hexId(span.parentSpanId, 16) : null,
    name: span.name ?? '',
    status: toStatus(span.status),
    attributes: placement.attributes,
    events: (span.events ?? []).map((event) => ({
      name: event.name ?? '',
      attributes: toAttributes(event.attributes),
      timestamp: nanosToSeconds(event.timeUnixNano),
    })),
    links: (span.links ?? []).map((link) => ({
      context: context(hexId(link.traceId, 32), hexId(link.spanId, 16)),
      attributes: toAttributes(link.attributes),
    })),
    start_time: nanosToSeconds(span.startTimeUnixNano),
    end_time: nanosToSeconds(span.endTimeUnixNano),
    context: context(traceId, spanId),
    parent: null,
    resource: placement.resource,
  };
}

/** OTLP's trace state and remote flag are not carried over: the store's contexts are local with an empty state. */
function context(traceId: string, spanId: string): SpanContext {
  return { trace_id: traceId, span_id: spanId, is_remote: false, trace_state: {} };
}

const STATUS_CODES = ['UNSET', 'OK', 'ERROR'] as const;

function toStatus(status: OtlpSpan['status']): TraceStatus {
  // An unknown code from a newer OTLP is treated like an absent status.
  const code = STATUS_CODES[status?.code ?? 0] ?? 'UNSET';
  return { status_code: code, description: status?.message ? status.message : null };
}

/** Lowercase hex, left-padded with zeros to the id's width; an empty id is all zeros (as the reference does). */
function hexId(bytes: Uint8Array | undefined, width: number): string {
  return (bytes && bytes.length > 0 ? toHex(bytes) : '').padStart(width, '0');
}

/** A routing id as a string; lists and empty strings cannot name a rollout or attempt. */
function routingId(value: AttributeValue | undefined): string | null {
  if (value === undefined || Array.isArray(value)) return null;
  const id = String(value);
  return id.length > 0 ? id : null;
}

/** An explicit sequence id, or ALLOCATE when absent, negative or not an integer (the reference ignores those too). */
function sequenceIdOf(value: AttributeValue | undefined): number {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : ALLOCATE;
}

/** Skipped spans by reason, for the partial-success message and the log. */
export class SkipCounter {
  private readonly reasons = new Map<string, number>();
  total = 0;

  add(reason: string): void {
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
    this.total += 1;
  }

  /** `2 spans: missing agentlightning.rollout_id; 1 span: unknown rollout ro-x`, the first few reasons only. */
  describe(limit = 5): string {
    const entries = [...this.reasons];
    const parts = entries
      .slice(0, limit)
      .map(([reason, count]) => `${count} ${count === 1 ? 'span' : 'spans'}: ${reason}`);
    if (entries.length > limit) parts.push(`${entries.length - limit} more reasons`);
    return parts.join('; ');
  }
}
