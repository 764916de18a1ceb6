/**
 * The OTLP trace messages, compiled by protobufjs from the `.proto` files in `packages/server/proto` when this module
 * loads. protobufjs generates each message's decoder from the schema; nothing here reads the wire format by hand.
 *
 * Decoding is budgeted: every message the decoder creates counts against a per-request limit, so a body of millions
 * of tiny messages (two bytes each on the wire, ~100 bytes each in memory) is refused before it can exhaust the heap.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import protobuf from 'protobufjs';

const PROTO_DIR = fileURLToPath(new URL('../../../proto', import.meta.url));

// ---- the decoded shapes (camelCase, as protobufjs names fields); every field may be absent ------------------------

/** A 64-bit integer as protobufjs gives it (a `Long` from the `long` package), or as OTLP/JSON may carry it. */
export type Int64 = protobuf.Long | number | string;

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] | null } | null;
  kvlistValue?: { values?: OtlpKeyValue[] | null } | null;
  bytesValue?: Uint8Array;
}

export interface OtlpKeyValue {
  key?: string;
  value?: OtlpAnyValue | null;
}

export interface OtlpSpan {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  parentSpanId?: Uint8Array;
  name?: string;
  startTimeUnixNano?: Int64;
  endTimeUnixNano?: Int64;
  attributes?: OtlpKeyValue[] | null;
  events?: Array<{ timeUnixNano?: Int64; name?: string; attributes?: OtlpKeyValue[] | null }> | null;
  links?: Array<{ traceId?: Uint8Array; spanId?: Uint8Array; attributes?: OtlpKeyValue[] | null }> | null;
  status?: { message?: string; code?: number } | null;
}

export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] | null } | null;
  scopeSpans?: Array<{ spans?: OtlpSpan[] | null }> | null;
  schemaUrl?: string;
}

export interface OtlpTraceRequest {
  resourceSpans?: OtlpResourceSpans[] | null;
}

// ---- the compiled schema --------------------------------------------------------------------------------------

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
root.loadSync(['opentelemetry/proto/collector/trace/v1/trace_service.proto', 'google/rpc/status.proto']);
root.resolveAll();

export const ExportTraceServiceRequest = root.lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
);
export const ExportTraceServiceResponse = root.lookupType(
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse',
);
export const RpcStatus = root.lookupType('google.rpc.Status');

/** Thrown by a decode that creates more messages than its budget allows. */
export class MessageBudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} messages`);
    this.name = 'MessageBudgetExceeded';
  }
}

const budget = { used: 0, limit: Number.POSITIVE_INFINITY };

/** Runs `fn` (a decode) with at most `limit` messages created; outside it, message creation is unlimited. */
export function withMessageBudget<T>(limit: number, fn: () => T): T {
  budget.used = 0;
  budget.limit = limit;
  try {
    return fn();
  } finally {
    budget.limit = Number.POSITIVE_INFINITY;
  }
}

/**
 * A constructor for every message type that counts against the budget. protobufjs documents assigning `Type#ctor`; it
 * must happen before the first decode, which compiles the decoder around the constructor. Unlike the generated one,
 * it does not pre-allocate empty arrays for repeated fields (the decoder creates them when a value arrives, and reads
 * of an absent one fall back to the prototype's shared empty array), which also makes each message smaller.
 */
function countingConstructor(): protobuf.Constructor<object> {
  return function Message(this: Record<string, unknown>, properties?: Record<string, unknown>) {
    if (++budget.used > budget.limit) throw new MessageBudgetExceeded(budget.limit);
    if (!properties) return;
    for (const key of Object.keys(properties)) {
      if (properties[key] != null && key !== '__proto__') this[key] = properties[key];
    }
  } as unknown as protobuf.Constructor<object>;
}

function messageTypes(namespace: protobuf.NamespaceBase): protobuf.Type[] {
  // A Type is a Namespace too (nested messages such as `Span.Event`).
  return namespace.nestedArray.flatMap((nested) => [
    ...(nested instanceof protobuf.Type ? [nested] : []),
    ...(nested instanceof protobuf.Namespace ? messageTypes(nested) : []),
  ]);
}

/**
 * Two adjustments to how protobufjs represents a oneof, on a prototype layer of our own (its accessors are not
 * configurable):
 *
 * - After reading a member the decoder names it (`value = "intValue"`), and protobufjs' setter then deletes every
 *   other member, present or not: six `delete`s per attribute value, which also drop each value object into slow
 *   dictionary mode (~40% of decoding). This setter has the same effect (the last member on the wire wins) but deletes
 *   only members that are really there.
 * - An unset member reads as `undefined` instead of its type's default (a zero `Long`, `false`, `""`), so "is this
 *   member set?" is a plain property read, as it is on the plain objects ProtoJSON produces.
 */
function oneofLayer(type: protobuf.Type): void {
  if (type.oneofsArray.length === 0) return;
  const layer = Object.create(type.ctor.prototype) as object;
  for (const oneof of type.oneofsArray) {
    const members = oneof.oneof;
    const { get } = Object.getOwnPropertyDescriptor(type.ctor.prototype, oneof.name)!;
    Object.defineProperty(layer, oneof.name, {
      get,
      set(this: Record<string, unknown>, name: string) {
        for (const member of members) if (member !== name && Object.hasOwn(this, member)) delete this[member];
      },
    });
    for (const member of members) Object.defineProperty(layer, member, { value: undefined, writable: true });
  }
  type.ctor.prototype = layer;
}

for (const type of messageTypes(root)) {
  type.ctor = countingConstructor();
  oneofLayer(type);
}
