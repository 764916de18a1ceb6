/**
 * OTLP values in the store's JSON terms. An OTLP attribute value (`AnyValue`) is richer than the store's
 * `AttributeValue` (string, boolean, number, or a list of one of those), so every value is mapped as faithfully as
 * the store can hold it:
 *
 * - string, boolean and double stay as they are; a double that JSON cannot hold (NaN, ±Infinity) becomes the string
 *   `"NaN"`, `"Infinity"` or `"-Infinity"` (the spelling ProtoJSON uses), never `null`;
 * - a 64-bit integer becomes a number when it is exact as one (|n| < 2^53), else its decimal string, so no digit is
 *   lost;
 * - bytes become lowercase hex (as the reference does);
 * - a list whose items are all strings, all booleans or all numbers stays a list (an empty list stays `[]`);
 * - anything the store's attributes cannot hold — a key-value list (a nested map), a list that mixes types or holds
 *   lists, maps or empty values — is stored as its JSON text, e.g. `{"a":1,"b":[true]}`: one string the dashboard
 *   shows verbatim and a reader can `JSON.parse`, rather than a 422 for the whole batch or a silently dropped value;
 * - an empty value (none of the oneof set) leaves the key out: OpenTelemetry has no null attribute value, and the
 *   store's attributes cannot hold one.
 */
import type { AttributeValue, Attributes } from '@agl/schemas';
import type { Int64, OtlpAnyValue, OtlpKeyValue } from './schema.js';

type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

export function toAttributes(list: OtlpKeyValue[] | null | undefined): Attributes {
  const attributes: Attributes = {};
  for (const { key = '', value } of list ?? []) {
    const converted = toAttributeValue(value);
    if (converted !== undefined) setOwn(attributes, key, converted);
  }
  return attributes;
}

export function toAttributeValue(value: OtlpAnyValue | null | undefined): AttributeValue | undefined {
  if (!value) return undefined;
  if (has(value, 'arrayValue')) return toList(value.arrayValue?.values ?? []);
  if (has(value, 'kvlistValue')) return JSON.stringify(toPlain(value));
  const plain = toPlain(value);
  return plain === null ? undefined : (plain as AttributeValue);
}

function toList(values: OtlpAnyValue[]): AttributeValue {
  const items = values.map(toPlain);
  const kind = items.length === 0 ? 'empty' : listKind(items);
  return kind === null ? JSON.stringify(items) : (items as AttributeValue);
}

/** The type every item shares (`string`, `boolean`, `number`), or null for a list the store cannot hold as one. */
function listKind(items: Plain[]): string | null {
  const kind = typeof items[0];
  if (kind !== 'string' && kind !== 'boolean' && kind !== 'number') return null;
  return items.every((item) => typeof item === kind) ? kind : null;
}

/** The JSON value of an `AnyValue`; nesting is bounded by the decoders (protobufjs' recursion limit, 100). */
function toPlain(value: OtlpAnyValue | null | undefined): Plain {
  if (!value) return null;
  if (has(value, 'stringValue')) return value.stringValue ?? '';
  if (has(value, 'boolValue')) return value.boolValue === true;
  if (has(value, 'intValue')) return int64ToJson(value.intValue!);
  if (has(value, 'doubleValue')) return doubleToJson(Number(value.doubleValue));
  if (has(value, 'bytesValue')) return toHex(value.bytesValue!);
  if (has(value, 'arrayValue')) return (value.arrayValue?.values ?? []).map(toPlain);
  if (has(value, 'kvlistValue')) {
    const map: { [key: string]: Plain } = {};
    for (const { key = '', value: item } of value.kvlistValue?.values ?? []) setOwn(map, key, toPlain(item));
    return map;
  }
  return null;
}

/**
 * Whether the oneof member is set: decoded messages read an unset member as `undefined` (schema.ts), and ProtoJSON's
 * plain objects only have what was sent.
 */
function has<K extends keyof OtlpAnyValue>(value: OtlpAnyValue, key: K): boolean {
  return value[key] != null;
}

export function int64ToJson(value: Int64): number | string {
  if (typeof value !== 'object') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : String(value);
  }
  // A signed 64-bit integer from two 32-bit halves; exact whenever the result is a safe integer.
  const n = value.high * 2 ** 32 + (value.low >>> 0);
  if (Number.isSafeInteger(n)) return n;
  return BigInt.asIntN(64, (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0)).toString();
}

function doubleToJson(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Nanoseconds since the epoch as float seconds, via exact integer division; 0 (unset) is null, as in the reference. */
export function nanosToSeconds(value: Int64 | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  let nanos: bigint;
  if (typeof value === 'object') nanos = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  else if (typeof value === 'number') nanos = Number.isFinite(value) ? BigInt(Math.trunc(value)) : 0n;
  else nanos = /^\d+$/.test(value) ? BigInt(value) : 0n;
  if (nanos <= 0n) return null;
  return Number(nanos / NANOS_PER_SECOND) + Number(nanos % NANOS_PER_SECOND) / 1e9;
}

const NANOS_PER_SECOND = 1_000_000_000n;

/** A key named `__proto__` must become an own property, not replace the object's prototype. */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
