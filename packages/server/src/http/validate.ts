/**
 * Validation at the edge with the shared TypeBox schemas, answering in the FastAPI/pydantic v2 shape that the
 * reference clients expect (docs/protocol.md §6.2). It also normalises: fills defaults, drops unknown keys (except
 * where a schema sets `additionalProperties: true`, as spans do, §2.4) and keeps key presence for updates (§2.6).
 */
import type { TSchema } from '@sinclair/typebox';
import { describeErrorDetail, type ValidationIssue } from '@agl/schemas';

export type Loc = Array<string | number>;

/** Thrown for any schema violation; the error handler answers 422 `{"detail": issues}`. */
export class ValidationError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(describeErrorDetail(issues) ?? 'Validation failed');
    this.name = 'ValidationError';
  }
}

// Schemas are read as the plain JSON Schema that TypeBox produces.
type Schema = TSchema & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const MESSAGES: Record<string, string> = {
  missing: 'Field required',
  string_type: 'Input should be a valid string',
  int_type: 'Input should be a valid integer',
  int_from_float: 'Input should be a valid integer, got a number with a fractional part',
  float_type: 'Input should be a valid number',
  bool_type: 'Input should be a valid boolean',
  dict_type: 'Input should be a valid dictionary',
  model_attributes_type: 'Input should be a valid dictionary or object to extract fields from',
  list_type: 'Input should be a valid list',
  int_parsing: 'Input should be a valid integer, unable to parse string as an integer',
  float_parsing: 'Input should be a valid number, unable to parse string as a number',
  bool_parsing: 'Input should be a valid boolean, unable to interpret input',
};

/** What Fastify expects from a validator: the normalised value, or the error its error handler receives. */
export type Validated = { value: unknown } | { error: ValidationError };

/** Validates `value` at `loc` (`['body']`, `['query']`): the normalised value, or every issue at once. */
export function validate(schema: TSchema, value: unknown, loc: Loc): Validated {
  const issues: ValidationIssue[] = [];
  const result = check(schema as Schema, value, loc, issues);
  return issues.length > 0 ? { error: new ValidationError(issues) } : { value: result };
}

/**
 * A value that could not be read as what the schema wants (query text that is not an integer); the validator
 * reports its issue where it meets it, so it sits among the request's other issues in schema order.
 */
export class UnparsedValue {
  constructor(readonly issue: ValidationIssue) {}
}

export function issue(
  type: string,
  loc: Loc,
  input: unknown,
  msg = MESSAGES[type] ?? type,
  ctx?: Record<string, unknown>,
): ValidationIssue {
  return ctx ? { type, loc, msg, input, ctx } : { type, loc, msg, input };
}

function check(schema: Schema, value: unknown, loc: Loc, issues: ValidationIssue[]): unknown {
  if (value instanceof UnparsedValue) {
    issues.push(value.issue);
    return value.issue.input;
  }
  if (schema.anyOf) return checkUnion(schema, value, loc, issues);
  switch (schema.type) {
    case 'object':
      return checkObject(schema, value, loc, issues);
    case 'array':
      if (!Array.isArray(value)) return void issues.push(issue('list_type', loc, value));
      return value.map((item, i) => check(schema.items, item, [...loc, i], issues));
    case 'string':
      if (typeof value !== 'string') issues.push(issue('string_type', loc, value));
      return value;
    case 'integer':
      if (typeof value !== 'number') issues.push(issue('int_type', loc, value));
      else if (!Number.isInteger(value)) issues.push(issue('int_from_float', loc, value));
      else checkMinimum(schema, value, loc, issues);
      return value;
    case 'number':
      if (typeof value !== 'number') issues.push(issue('float_type', loc, value));
      else checkMinimum(schema, value, loc, issues);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') issues.push(issue('bool_type', loc, value));
      return value;
    case 'null':
      if (value !== null) issues.push(issue('none_required', loc, value, 'Input should be None'));
      return value;
    default:
      if (schema.const !== undefined) return checkLiterals(schema, [schema.const], value, loc, issues);
      return value; // Unknown: any JSON value
  }
}

function checkObject(schema: Schema, value: unknown, loc: Loc, issues: ValidationIssue[]): unknown {
  const isModel = schema.properties !== undefined;
  if (!isPlainObject(value)) {
    issues.push(issue(isModel ? 'model_attributes_type' : 'dict_type', loc, value));
    return value;
  }
  if (!isModel) {
    // A record: every value against the one value schema.
    const valueSchema = Object.values(schema.patternProperties ?? {})[0] as Schema | undefined;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      setOwn(out, key, valueSchema ? check(valueSchema, item, [...loc, key], issues) : item);
    return out;
  }
  const required = new Set<string>(schema.required ?? []);
  const out: Record<string, unknown> = {};
  for (const [key, propSchema] of Object.entries(schema.properties as Record<string, Schema>)) {
    if (Object.hasOwn(value, key)) out[key] = check(propSchema, value[key], [...loc, key], issues);
    else if ('default' in propSchema) out[key] = structuredClone(propSchema.default);
    // A missing query parameter reports `input: null`; a missing body key, the enclosing object (§6.2).
    else if (required.has(key)) issues.push(issue('missing', [...loc, key], loc[0] === 'query' ? null : value));
  }
  if (schema.additionalProperties === true) {
    for (const [key, item] of Object.entries(value))
      if (!Object.hasOwn(out, key) && !Object.hasOwn(schema.properties, key)) setOwn(out, key, item);
  }
  return out;
}

function checkUnion(schema: Schema, value: unknown, loc: Loc, issues: ValidationIssue[]): unknown {
  const members = schema.anyOf as Schema[];
  // `T | null`: pydantic reports T's errors for a non-null value.
  const nonNull = members.filter((m) => m.type !== 'null');
  if (nonNull.length === 1 && members.length === 2)
    return value === null ? null : check(nonNull[0]!, value, loc, issues);
  if (members.every((m) => typeof m.const === 'string'))
    return checkLiterals(
      schema,
      members.map((m) => m.const),
      value,
      loc,
      issues,
    );
  if (schema.discriminator) return checkTagged(schema, value, loc, issues);
  // A plain union: the first member that fits wins; otherwise one issue per member, tagged like pydantic's.
  const memberIssues: ValidationIssue[] = [];
  for (const member of members) {
    const attempt: ValidationIssue[] = [];
    const result = check(member, value, [...loc, memberTag(member)], attempt);
    if (attempt.length === 0) return result;
    memberIssues.push(...attempt);
  }
  issues.push(...memberIssues);
  return value;
}

function checkLiterals(
  _schema: Schema,
  values: unknown[],
  value: unknown,
  loc: Loc,
  issues: ValidationIssue[],
): unknown {
  if (values.includes(value)) return value;
  const expected = joinAlternatives(
    values.map((v) => `'${String(v)}'`),
    'or',
  );
  issues.push(issue('literal_error', loc, value, `Input should be ${expected}`, { expected }));
  return value;
}

function checkTagged(schema: Schema, value: unknown, loc: Loc, issues: ValidationIssue[]): unknown {
  const property = schema.discriminator.propertyName as string;
  if (!isPlainObject(value)) return void issues.push(issue('model_attributes_type', loc, value));
  const members = schema.anyOf as Schema[];
  const tags = members.map((m) => m.properties[property].const as string);
  const discriminator = `'${property}'`;
  if (!Object.hasOwn(value, property)) {
    issues.push(
      issue('union_tag_not_found', loc, value, `Unable to extract tag using discriminator ${discriminator}`, {
        discriminator,
      }),
    );
    return value;
  }
  const tag = value[property];
  const index = tags.indexOf(tag as string);
  if (index < 0) {
    const expectedTags = tags.map((t) => `'${t}'`).join(', ');
    const msg = `Input tag '${String(tag)}' found using ${discriminator} does not match any of the expected tags: ${expectedTags}`;
    issues.push(
      issue('union_tag_invalid', loc, value, msg, { discriminator, tag: String(tag), expected_tags: expectedTags }),
    );
    return value;
  }
  return check(members[index]!, value, [...loc, tags[index]!], issues);
}

function checkMinimum(schema: Schema, value: number, loc: Loc, issues: ValidationIssue[]): void {
  if (schema.minimum !== undefined && value < schema.minimum) {
    issues.push(
      issue('greater_than_equal', loc, value, `Input should be greater than or equal to ${schema.minimum}`, {
        ge: schema.minimum,
      }),
    );
  }
}

function memberTag(schema: Schema): string {
  switch (schema.type) {
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'integer':
      return 'int';
    case 'number':
      return 'float';
    case 'array':
      return `list[${memberTag(schema.items)}]`;
    default:
      return String(schema.type ?? 'any');
  }
}

/** "'a', 'b' or 'c'" — the pydantic way of listing alternatives. */
function joinAlternatives(items: string[], word: string): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`;
}

/**
 * `out[key] = value` for keys that come from the client: an own property even for `__proto__`, which a plain
 * assignment would turn into a prototype change (and drop from the stored JSON).
 */
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
