import { memo } from 'react';
import { Button, CloseButton, Group, MultiSelect, TextInput, type ComboboxData } from '@mantine/core';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { NOT_AVAILABLE } from '../columns';
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

function valueOptions(values: readonly (string | null)[], selected: readonly (string | null)[]): ComboboxData {
  return withSelected(values, selected).map((value) => ({ value: encode(value), label: label(value) }));
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
export const RolloutsToolbar = memo(function RolloutsToolbar({
  search,
  filters,
  options,
  filtered,
  onSearch,
  onFilter,
  onClear,
}: RolloutsToolbarProps) {
  const nullable = (key: 'mode' | 'resources' | 'worker', placeholder: string, values: (string | null)[]) => (
    <MultiSelect
      label={placeholder}
      placeholder={filters[key].length ? undefined : 'Any'}
      data={valueOptions(values, filters[key])}
      value={filters[key].map(encode)}
      onChange={(tokens) => onFilter({ [key]: tokens.map(decode) })}
      searchable
      clearable
      // A store may hold thousands of worker IDs; the search narrows them, the list shows at most this many.
      limit={200}
      size="xs"
      w={180}
      comboboxProps={{ withinPortal: true }}
    />
  );

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
      <MultiSelect
        label="Status"
        placeholder={filters.status.length ? undefined : 'Any'}
        data={statusOptions(options, filters.status)}
        value={filters.status}
        onChange={(values) => onFilter({ status: values as StatusFilterValue[] })}
        searchable
        clearable
        size="xs"
        w={220}
      />
      {nullable('mode', 'Mode', options.modes)}
      {nullable('resources', 'Resources ID', options.resources)}
      {nullable('worker', 'Worker ID', options.workers)}
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
});
