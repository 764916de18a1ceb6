/** One page of a list, as every paged view shows it. Pages are 1-based, like Mantine's Pagination. */
export interface Page<T> {
  rows: T[];
  /** The page actually shown: the requested one, moved back when the list shrank below it. */
  page: number;
  pageCount: number;
  /** 1-based positions of the first and last row shown; both 0 when there is nothing to show. */
  from: number;
  to: number;
  /** Rows in the whole list. */
  total: number;
}

/** One page of rows; the page is clamped to what exists, so a list that shrank under the user never shows blank. */
export function paginate<T>(rows: readonly T[], page: number, pageSize: number): Page<T> {
  const size = Math.max(1, Math.floor(pageSize));
  const total = rows.length;
  const pageCount = Math.max(1, Math.ceil(total / size));
  const current = Math.min(Math.max(1, Math.floor(page)), pageCount);
  const start = (current - 1) * size;
  const pageRows = rows.slice(start, start + size);
  return {
    rows: pageRows,
    page: current,
    pageCount,
    from: pageRows.length > 0 ? start + 1 : 0,
    to: start + pageRows.length,
    total,
  };
}
