import { describe, expect, it } from 'vitest';
import { displayAttributeValue, prettyJson, sortedAttributes } from './attributes';

describe('attribute display', () => {
  it('pretty-prints JSON object and array text, leaves prose alone', () => {
    expect(displayAttributeValue('{"expression": "17 * 23"}')).toEqual({
      text: '{\n  "expression": "17 * 23"\n}',
      json: true,
      long: false,
    });
    expect(displayAttributeValue('17 * 23 = 391')).toEqual({ text: '17 * 23 = 391', json: false, long: false });
    expect(prettyJson('{not json')).toBeNull();
    expect(prettyJson('42')).toBeNull();
  });

  it('shows numbers, booleans and arrays as text', () => {
    expect(displayAttributeValue(0.5).text).toBe('0.5');
    expect(displayAttributeValue(false).text).toBe('false');
    expect(displayAttributeValue([1, 2])).toMatchObject({ text: '[1,2]', json: true });
  });

  it('marks long values so the drawer can collapse them', () => {
    expect(displayAttributeValue('x'.repeat(241)).long).toBe(true);
    expect(displayAttributeValue('a\nb\nc\nd\ne\nf\ng').long).toBe(true);
    expect(displayAttributeValue(JSON.stringify({ a: 1, b: 2, c: 3, d: 4, e: 5 })).long).toBe(true);
  });

  it('sorts keys with numeric parts in number order', () => {
    const keys = sortedAttributes({ 'p.10.role': 'a', 'p.2.role': 'b', 'a.x': 1 }).map(([k]) => k);
    expect(keys).toEqual(['a.x', 'p.2.role', 'p.10.role']);
    expect(sortedAttributes(null)).toEqual([]);
  });
});
