/**
 * Attribute values the store's `Attributes` cannot hold as they are (values.ts): bytes, maps, mixed and nested lists,
 * huge integers, non-finite doubles, empty values. They reach the server through the official serialisers (other
 * SDKs send them); each must be stored in its documented form, never answered with a 500 or a 422 for the batch.
 */
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { SpanSchema } from '@agl/schemas';
import { engines, startServer, type TestServer } from '../helpers/http.js';
import {
  FORMATS,
  MEDIA,
  exportOk,
  post,
  recordSpans,
  routing,
  startedRollout,
  storedSpans,
  withRawAttributes,
  type Format,
} from './helpers.js';

/** Sent → stored, for values both OTLP formats can carry. */
const CASES: Array<[string, unknown, unknown]> = [
  ['bytes', new Uint8Array([0, 1, 0xab, 0xff]), '0001abff'],
  ['map', { a: 1, b: [true, false], c: { d: 'x' } }, '{"a":1,"b":[true,false],"c":{"d":"x"}}'],
  ['mixed list', [1, 'a', true], '[1,"a",true]'],
  ['nested list', [[1], [2, 3]], '[[1],[2,3]]'],
  ['list with a map', [{ k: 'v' }], '[{"k":"v"}]'],
  ['ints and doubles', [1, 2.5], [1, 2.5]],
  ['empty list', [], []],
  ['huge integer', 2 ** 60, '1152921504606846976'],
  ['negative integer', -42, -42],
  ['largest exact integer', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ['empty string', '', ''],
  ['zero', 0, 0],
  ['false', false, false],
  ['zero double', 0.0, 0],
  ['unicode', 'héllo ✓ 🚀', 'héllo ✓ 🚀'],
];

const stringValue = (text: string) => protobuf.Writer.create().uint32(0x0a).string(text).finish();

describe.each(engines)('OTLP attribute values (%s)', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(engine);
  });
  afterAll(async () => {
    await server.close();
  });

  async function roundTrip(format: Format, attributes: Record<string, unknown>) {
    const { rid, aid } = await startedRollout(server);
    const [span] = recordSpans(routing(rid, aid), (tracer) => tracer.startSpan('values').end());
    await exportOk(server, format, [withRawAttributes(span!, attributes)]);
    const [stored] = await storedSpans(server, rid);
    expect(Value.Check(SpanSchema, stored)).toBe(true); // whatever came in, the stored span is a valid Span
    return stored!.attributes as Record<string, unknown>;
  }

  it.each(FORMATS)('values beyond the store attribute types are stored faithfully (%s)', async (format) => {
    const attributes = await roundTrip(format, Object.fromEntries(CASES.map(([name, sent]) => [name, sent])));
    expect(attributes).toEqual(Object.fromEntries(CASES.map(([name, , stored]) => [name, stored])));
    // Stored JSON text stays parseable: a reader can get the map back.
    expect(JSON.parse(attributes.map as string)).toEqual({ a: 1, b: [true, false], c: { d: 'x' } });
  });

  it('non-finite doubles are stored as ProtoJSON spells them, never as null (protobuf)', async () => {
    const attributes = await roundTrip('protobuf', { nan: NaN, inf: Infinity, ninf: -Infinity, list: [1.5, NaN] });
    expect(attributes).toEqual({ nan: 'NaN', inf: 'Infinity', ninf: '-Infinity', list: '[1.5,"NaN"]' });
  });

  it('when a value carries two oneof members, the last one on the wire wins (protobuf)', async () => {
    const { rid, aid } = await startedRollout(server);
    // AnyValue { string_value = "a"; int_value = 5 }: field 1 (string) then field 3 (varint).
    const anyValue = protobuf.Writer.create().uint32(0x0a).string('a').uint32(0x18).uint32(5).finish();
    const keyValue = (key: string, value: Uint8Array) =>
      protobuf.Writer.create().uint32(0x0a).string(key).uint32(0x12).bytes(value).finish();
    const nested = (tag: number, ...parts: Uint8Array[]) => {
      const writer = protobuf.Writer.create();
      for (const part of parts) writer.uint32(tag).bytes(part);
      return writer.finish();
    };
    // ExportTraceServiceRequest > ResourceSpans (resource = 1, scope_spans = 2) > ScopeSpans (spans = 2) > Span.
    const span = Buffer.concat([
      nested(0x0a, Buffer.alloc(16, 1)),
      nested(0x12, Buffer.alloc(8, 2)),
      nested(0x4a, keyValue('both', anyValue)),
    ]);
    const resource = nested(
      0x0a,
      keyValue('agentlightning.rollout_id', stringValue(rid)),
      keyValue('agentlightning.attempt_id', stringValue(aid)),
    );
    const body = nested(0x0a, Buffer.concat([nested(0x0a, resource), nested(0x12, nested(0x12, span))]));
    expect((await post(server, Buffer.from(body), { 'content-type': MEDIA.protobuf })).status).toBe(200);
    const [stored] = await storedSpans(server, rid);
    expect(stored!.attributes).toEqual({ both: 5 });
  });

  it.each(FORMATS)('an empty value leaves its key out; a __proto__ key stays a plain key (%s)', async (format) => {
    const sent: Record<string, unknown> = { kept: 1, empty: null };
    Object.defineProperty(sent, '__proto__', { value: 'odd', enumerable: true });
    const attributes = await roundTrip(format, sent);
    expect(Object.keys(attributes).sort()).toEqual(['__proto__', 'kept']);
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toBe('odd');
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
  });
});
