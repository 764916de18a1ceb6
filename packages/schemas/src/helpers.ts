import { Type, type SchemaOptions, type TLiteral, type TNull, type TSchema, type TUnion } from '@sinclair/typebox';

/** `T | null`. The validator reads `nullable` unions as "T, or an explicit null". */
export function Nullable<T extends TSchema>(schema: T, options: SchemaOptions = {}): TUnion<[T, TNull]> {
  return Type.Union([schema, Type.Null()], options);
}

/** A union of string literals (an enumeration); validation errors quote the values in this order. */
export function Literals<const V extends readonly string[]>(
  values: V,
  options: SchemaOptions = {},
): TUnion<TLiteral<V[number]>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v as V[number])),
    options,
  );
}

/** Epoch seconds as a float (e.g. 1761745417.4758382): every time on the wire. */
export const EpochSeconds = Type.Number({ description: 'float seconds since the Unix epoch' });
