/**
 * Query strings carry only text: Fastify hands over a string for a key sent once and an array for a repeated key
 * (`?status_in=a&status_in=b`). Before validation, each parameter is shaped the way its schema wants, as FastAPI
 * does: a single value becomes a one-item list where the schema says list, the last of repeated values is kept where
 * it says scalar, and text is read as an integer, number or boolean. Text that does not read becomes an
 * `UnparsedValue`, which the validator reports (`int_parsing`, …) among the request's other issues.
 */
import type { TSchema } from '@sinclair/typebox';
import { issue, isPlainObject, UnparsedValue, type Loc } from './validate.js';

type Schema = TSchema & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The query object with every declared parameter shaped and parsed; undeclared parameters are left to the validator. */
export function fromQueryString(schema: TSchema, query: unknown): unknown {
  const properties = (schema as Schema).properties as Record<string, Schema> | undefined;
  if (!isPlainObject(query) || !properties) return query;
  const out: Record<string, unknown> = { ...query };
  for (const [key, propSchema] of Object.entries(properties)) {
    if (Object.hasOwn(query, key)) out[key] = shape(propSchema, query[key], ['query', key]);
  }
  return out;
}

function shape(schema: Schema, value: unknown, loc: Loc): unknown {
  const target = withoutNull(schema);
  if (target.type === 'array') {
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, i) => parse(withoutNull(target.items as Schema), item, [...loc, i]));
  }
  return parse(target, Array.isArray(value) ? value.at(-1) : value, loc);
}

function parse(schema: Schema, value: unknown, loc: Loc): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  switch (schema.type) {
    case 'integer':
      return /^[+-]?\d+$/.test(text) ? Number(text) : new UnparsedValue(issue('int_parsing', loc, value));
    case 'number':
      return text !== '' && Number.isFinite(Number(text))
        ? Number(text)
        : new UnparsedValue(issue('float_parsing', loc, value));
    case 'boolean': {
      const word = text.toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return new UnparsedValue(issue('bool_parsing', loc, value));
    }
    default:
      return value;
  }
}

/** The words pydantic reads as booleans. */
const TRUE_WORDS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/** `T | null` → `T`: a query parameter is either sent (as text) or absent, never null. */
function withoutNull(schema: Schema): Schema {
  const members = schema.anyOf as Schema[] | undefined;
  if (!members) return schema;
  const nonNull = members.filter((m) => m.type !== 'null');
  return nonNull.length === 1 ? nonNull[0]! : schema;
}
