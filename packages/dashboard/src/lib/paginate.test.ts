import { describe, expect, it } from 'vitest';
import { paginate } from './paginate';

describe('paginate', () => {
  const many = Array.from({ length: 250 }, (_, i) => i);

  it('cuts 1-based pages and reports the 1-based positions shown', () => {
    expect(paginate(many, 1, 100)).toMatchObject({ page: 1, pageCount: 3, from: 1, to: 100, total: 250 });
    const last = paginate(many, 3, 100);
    expect(last).toMatchObject({ page: 3, from: 201, to: 250 });
    expect(last.rows[0]).toBe(200);
    expect(paginate([1, 2, 3, 4, 5], 2, 2).rows).toEqual([3, 4]);
  });

  it('moves back to the last page when the list shrank below the requested page, and up to page 1', () => {
    expect(paginate(many, 9, 100)).toMatchObject({ page: 3, from: 201, to: 250 });
    expect(paginate([1, 2, 3], 9, 2)).toMatchObject({ rows: [3], page: 2, pageCount: 2 });
    expect(paginate(many, 0, 100).page).toBe(1);
    expect(paginate(many, -1, 100).page).toBe(1);
  });

  it('reports an empty list as 0 of 0 on one page', () => {
    expect(paginate([], 3, 100)).toEqual({ rows: [], page: 1, pageCount: 1, from: 0, to: 0, total: 0 });
  });
});
