/**
 * OTLP/JSON is ProtoJSON (lowerCamelCase keys, 64-bit integers as strings or numbers, enums as integers or names,
 * unknown fields ignored) with one exception: trace and span ids are hex strings instead of base64. The ids are
 * rewritten to base64 first, then protobufjs' ProtoJSON reader (`protobufjs/ext/protojson`) checks and converts the
 * rest; other bytes (`bytesValue`) are base64 as ProtoJSON has them.
 */
import protojson from 'protobufjs/ext/protojson.js';
import { parseError } from './errors.js';
import { ExportTraceServiceRequest, type OtlpTraceRequest } from './schema.js';

export function decodeJsonRequest(text: string): OtlpTraceRequest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw parseError(`invalid JSON (${(error as Error).message})`);
  }
  for (const resourceSpans of items(field(json, 'resourceSpans', 'resource_spans'))) {
    for (const scopeSpans of items(field(resourceSpans, 'scopeSpans', 'scope_spans'))) {
      for (const span of items(field(scopeSpans, 'spans'))) {
        hexToBase64(span, 'traceId', 'trace_id');
        hexToBase64(span, 'spanId', 'span_id');
        hexToBase64(span, 'parentSpanId', 'parent_span_id');
        for (const link of items(field(span, 'links'))) {
          hexToBase64(link, 'traceId', 'trace_id');
          hexToBase64(link, 'spanId', 'span_id');
        }
      }
    }
  }
  return protojson.fromJson(ExportTraceServiceRequest, json, { ignoreUnknownFields: true }) as OtlpTraceRequest;
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field under its JSON name or its proto name (ProtoJSON readers accept both). */
function field(value: unknown, ...names: string[]): unknown {
  if (!isObject(value)) return undefined;
  const name = names.find((n) => Object.hasOwn(value, n));
  return name === undefined ? undefined : value[name];
}

/** The elements of a list; anything else is left for the ProtoJSON reader to reject with its own message. */
function items(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function hexToBase64(target: unknown, ...names: string[]): void {
  if (!isObject(target)) return;
  for (const name of names) {
    const value = target[name];
    if (typeof value !== 'string' || !Object.hasOwn(target, name)) continue;
    if (!HEX.test(value)) throw parseError(`${name} must be a hex string with an even number of digits`);
    target[name] = Buffer.from(value, 'hex').toString('base64');
  }
}
