import { memo } from 'react';
import { Group, Pagination, Select, Text } from '@mantine/core';
import { formatCount } from '../../../lib/format';
import type { Page } from '../../../lib/paginate';
import type { RolloutRow } from '../rolloutRows';
import { PAGE_SIZES } from '../rolloutsTableSlice';

const PAGE_SIZE_DATA = PAGE_SIZES.map((size) => ({ value: String(size), label: `${size} / page` }));

export interface RolloutsPagerProps {
  page: Page<RolloutRow>;
  pageSize: number;
  /** Rows before filters and search, shown when a filter hides some. */
  unfilteredTotal: number;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
}

/** "Showing 1–100 of 12,345", the page size choice and the page buttons. */
export const RolloutsPager = memo(function RolloutsPager({
  page,
  pageSize,
  unfilteredTotal,
  onPage,
  onPageSize,
}: RolloutsPagerProps) {
  const range = page.total === 0 ? '0' : `${formatCount(page.from)}–${formatCount(page.to)}`;
  return (
    <Group justify="space-between" gap="sm" wrap="wrap">
      <Text size="sm" c="dimmed" data-testid="rollouts-count">
        Showing {range} of {formatCount(page.total)}
        {page.total !== unfilteredTotal && ` (filtered from ${formatCount(unfilteredTotal)})`}
      </Text>
      <Group gap="sm">
        <Select
          aria-label="Rows per page"
          data={PAGE_SIZE_DATA}
          value={String(pageSize)}
          onChange={(value) => value && onPageSize(Number(value))}
          allowDeselect={false}
          size="xs"
          w={120}
        />
        <Pagination
          total={page.pageCount}
          value={page.page}
          onChange={onPage}
          size="sm"
          siblings={1}
          boundaries={1}
          getControlProps={(control) => ({ 'aria-label': `${control} page` })}
        />
      </Group>
    </Group>
  );
});
