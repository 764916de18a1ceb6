import { memo, useMemo } from 'react';
import { Button, CloseButton, Group, MultiSelect, TextInput, type ComboboxData } from '@mantine/core';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { NOT_AVAILABLE } from '../../../lib/format';
import type { FilterOptions, RolloutFilters, StatusFilterValue } from '../rolloutsQuery';

// Mantine options are strings; a missing value (null) gets a token no real value can have (real ones are prefixed).
const NONE = 'none';
const encode = (value: string | null) => (value === null ? NONE : `v:${value}`);
const decode = (token: string) => (token === NONE ? null : token.slice(2));
const label = (value: string | null) => (value === null ? NOT_AVAILABLE : value === '' ? '(empty)' : value);

/** The values present in the data, plus selected ones that are no longer there, so a selection never vanishes. */
function withSelected<T>(present: readonly T[], selected: readonly T[]): T[] {
  const missing = selected.filter((value) => !present.includes(value));
  return missing.length ? [...present, ...missing] : [...present];
}

function statusOptions(options: FilterOptions, selected: readonly StatusFilterValue[]): ComboboxData {
  const values = withSelected<string>(
    [...options.rolloutStatuses.map((s) => `rollout:${s}`), ...options.attemptStatuses.map((s) => `attempt:${s}`)],
    selected,
  );
  const group = (kind: string) =>
    values.filter((v) => v.startsWith(`${kind}:`)).map((v) => ({ value: v, label: v.slice(kind.length + 1) }));
  return [
    { group: 'Rollout status', items: group('rollout') },
    { group: 'Attempt status', items: group('attempt') },
  ];
}

type NullableColumn = 'mode' | 'resources' | 'worker';

/**
 * One column's multi-select. Memoised with memoised options, so typing in the search box or changing another filter
 * does not re-render it: each of these is a Mantine Combobox, and the table is what should get the frame.
 */
const ValueFilter = memo(function ValueFilter({
  column,
  label: title,
  values,
  selected,
  onFilter,
}: {
  column: NullableColumn;
  label: string;
  values: readonly (string | null)[];
  selected: readonly (string | null)[];
  onFilter: (change: Partial<RolloutFilters>) => void;
}) {
  const data = useMemo(
    () => withSelected(values, selected).map((value) => ({ value: encode(value), label: label(value) })),
    [values, selected],
  );
  const value = useMemo(() => selected.map(encode), [selected]);
  return (
    <MultiSelect
      label={title}
      placeholder={selected.length ? undefined : 'Any'}
      data={data}
      value={value}
      onChange={(tokens) => onFilter({ [column]: tokens.map(decode) })}
      searchable
      clearable
      // A store may hold thousands of worker IDs; the search narrows them, the list shows at most this many.
      limit={200}
      size="xs"
      w={180}
    />
  );
});

const StatusFilter = memo(function StatusFilter({
  options,
  selected,
  onFilter,
}: {
  options: FilterOptions;
  selected: StatusFilterValue[];
  onFilter: (change: Partial<RolloutFilters>) => void;
}) {
  const data = useMemo(() => statusOptions(options, selected), [options, selected]);
  return (
    <MultiSelect
      label="Status"
      placeholder={selected.length ? undefined : 'Any'}
      data={data}
      value={selected}
      onChange={(values) => onFilter({ status: values as StatusFilterValue[] })}
      searchable
      clearable
      size="xs"
      w={220}
    />
  );
});

export interface RolloutsToolbarProps {
  search: string;
  filters: RolloutFilters;
  options: FilterOptions;
  filtered: boolean;
  onSearch: (text: string) => void;
  onFilter: (change: Partial<RolloutFilters>) => void;
  onClear: () => void;
}

/** Search on Rollout ID, a multi-select per categorical column, and one action to clear them all. */
export function RolloutsToolbar({
  search,
  filters,
  options,
  filtered,
  onSearch,
  onFilter,
  onClear,
}: RolloutsToolbarProps) {
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <TextInput
        label="Search"
        placeholder="Rollout ID contains…"
        leftSection={<IconSearch size={14} />}
        value={search}
        onChange={(event) => onSearch(event.currentTarget.value)}
        rightSection={search ? <CloseButton size="xs" aria-label="Clear search" onClick={() => onSearch('')} /> : null}
        size="xs"
        w={220}
      />
      <StatusFilter options={options} selected={filters.status} onFilter={onFilter} />
      <ValueFilter column="mode" label="Mode" values={options.modes} selected={filters.mode} onFilter={onFilter} />
      <ValueFilter
        column="resources"
        label="Resources ID"
        values={options.resources}
        selected={filters.resources}
        onFilter={onFilter}
      />
      <ValueFilter
        column="worker"
        label="Worker ID"
        values={options.workers}
        selected={filters.worker}
        onFilter={onFilter}
      />
      <Button
        variant="subtle"
        size="xs"
        leftSection={<IconFilterOff size={14} />}
        onClick={onClear}
        disabled={!filtered}
      >
        Clear filters
      </Button>
    </Group>
  );
}
