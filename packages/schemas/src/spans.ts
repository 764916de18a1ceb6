/**
 * Span and its nested OpenTelemetry-shaped models (docs/protocol.md §3.6).
 * Span, TraceStatus, SpanContext, Event and Link keep unknown keys (additionalProperties); OtelResource drops them.
 */
import { Type, type Static } from '@sinclair/typebox';
import { EpochSeconds, Nullable } from './helpers.js';

export const AttributeValueSchema = Type.Union(
  [
    Type.String(),
    Type.Boolean(),
    Type.Integer(),
    Type.Number(),
    Type.Array(Type.String()),
    Type.Array(Type.Boolean()),
    Type.Array(Type.Integer()),
    Type.Array(Type.Number()),
  ],
  { $id: 'AttributeValue' },
);
export type AttributeValue = string | boolean | number | string[] | boolean[] | number[];

export const AttributesSchema = Type.Record(Type.String(), AttributeValueSchema, { $id: 'Attributes' });
export type Attributes = Record<string, AttributeValue>;

const keepUnknown = { additionalProperties: true } as const;

export const TraceStatusSchema = Type.Object(
  {
    status_code: Type.String({ description: 'OTel uses UNSET, OK or ERROR; generation A accepts any string' }),
    description: Nullable(Type.String(), { default: null }),
  },
  { $id: 'TraceStatus', ...keepUnknown },
);
export type TraceStatus = Static<typeof TraceStatusSchema>;

export const SpanContextSchema = Type.Object(
  {
    trace_id: Type.String(),
    span_id: Type.String(),
    is_remote: Type.Boolean(),
    trace_state: Type.Record(Type.String(), Type.String()),
  },
  { $id: 'SpanContext', ...keepUnknown },
);
export type SpanContext = Static<typeof SpanContextSchema>;

export const EventSchema = Type.Object(
  {
    name: Type.String(),
    attributes: AttributesSchema,
    timestamp: Nullable(EpochSeconds, { default: null }),
  },
  { $id: 'Event', ...keepUnknown },
);
export type SpanEvent = Static<typeof EventSchema>;

export const LinkSchema = Type.Object(
  {
    context: SpanContextSchema,
    attributes: Nullable(AttributesSchema, { default: null }),
  },
  { $id: 'Link', ...keepUnknown },
);
export type SpanLink = Static<typeof LinkSchema>;

export const OtelResourceSchema = Type.Object(
  { attributes: AttributesSchema, schema_url: Type.String() },
  { $id: 'OtelResource' },
);
export type OtelResource = Static<typeof OtelResourceSchema>;

export const SpanSchema = Type.Object(
  {
    rollout_id: Type.String(),
    attempt_id: Type.String(),
    sequence_id: Type.Integer(),
    trace_id: Type.String(),
    span_id: Type.String(),
    parent_id: Nullable(Type.String()),
    name: Type.String(),
    status: TraceStatusSchema,
    attributes: AttributesSchema,
    events: Type.Array(EventSchema),
    links: Type.Array(LinkSchema),
    start_time: Nullable(EpochSeconds),
    end_time: Nullable(EpochSeconds),
    context: Nullable(SpanContextSchema),
    parent: Nullable(SpanContextSchema),
    resource: OtelResourceSchema,
  },
  { $id: 'Span', ...keepUnknown },
);
/** A stored span; unknown top-level keys sent by the client are kept and echoed. */
export type Span = Static<typeof SpanSchema> & Record<string, unknown>;
