/**
 * The validator Fastify runs for the JSON API plugins (http/route.ts): query text shaped by the schema, bodies
 * checked with lazily reported JSON problems, and the `{ value } | { error }` contract Fastify reads.
 */
import { describe, expect, it } from 'vitest';
import { Type, type TSchema } from '@sinclair/typebox';
import { Nullable } from '@agl/schemas';
import { InvalidJsonBody } from '../../src/http/body.js';
import { validatorCompiler } from '../../src/http/route.js';
import { ValidationError } from '../../src/http/validate.js';

const QuerySchema = Type.Object({
  limit: Type.Integer({ default: -1 }),
  ratio: Nullable(Type.Number(), { default: null }),
  flag: Nullable(Type.Boolean(), { default: null }),
  tags: Nullable(Type.Array(Type.String()), { default: null }),
  counts: Nullable(Type.Array(Type.Integer()), { default: null }),
  name: Nullable(Type.String(), { default: null }),
});

const compile = (schema: TSchema, httpPart: string) =>
  validatorCompiler({ schema, httpPart, method: 'GET', url: '/x' }) as (data: unknown) => Record<string, unknown>;

describe('query strings', () => {
  const check = compile(QuerySchema, 'querystring');

  it('reads text as the schema’s integers, numbers and booleans, and fills defaults', () => {
    expect(check({ limit: ' +5 ', ratio: '0.25', flag: 'YES', name: '7' })).toEqual({
      value: { limit: 5, ratio: 0.25, flag: true, tags: null, counts: null, name: '7' },
    });
    expect(check({ flag: 'off' }).value).toMatchObject({ flag: false, limit: -1 });
  });

  it('makes one value a one-item list, keeps repeated values as a list, and keeps the last of a repeated scalar', () => {
    expect(check({ tags: 'a', counts: ['1', '2'], limit: ['3', '4'] }).value).toMatchObject({
      tags: ['a'],
      counts: [1, 2],
      limit: 4,
    });
  });

  it('reports unreadable text with the pydantic types, each at its place, and drops unknown parameters', () => {
    const result = check({ limit: '1.5', ratio: 'much', flag: 'maybe', counts: ['1', 'x'], other: 'y' });
    expect(result.error).toBeInstanceOf(ValidationError);
    const issues = (result.error as ValidationError).issues.map((i) => [i.type, i.loc, i.input]);
    expect(issues).toEqual([
      ['int_parsing', ['query', 'limit'], '1.5'],
      ['float_parsing', ['query', 'ratio'], 'much'],
      ['bool_parsing', ['query', 'flag'], 'maybe'],
      ['int_parsing', ['query', 'counts', 1], 'x'],
    ]);
    expect(check({ other: 'y' }).value).not.toHaveProperty('other');
  });
});

describe('bodies', () => {
  const Body = Type.Object({ limit: Type.Integer({ default: 1 }) });

  it('a required body: none is a 422 at ["body"]; invalid JSON is reported where it is read', () => {
    const check = compile(Body, 'body');
    expect((check(null).error as ValidationError).issues).toEqual([
      { type: 'missing', loc: ['body'], msg: 'Field required', input: null },
    ]);
    const invalid = check(new InvalidJsonBody('Unexpected end of JSON input', 9));
    expect((invalid.error as ValidationError).issues[0]).toMatchObject({ type: 'json_invalid', loc: ['body', 9] });
    expect(check({ limit: 3, extra: 1 })).toEqual({ value: { limit: 3 } });
  });
});
