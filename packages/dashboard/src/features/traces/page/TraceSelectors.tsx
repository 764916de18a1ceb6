/** The rollout picker (searchable by id, with status) and the attempt picker (sequence number and status). */
import { useState } from 'react';
import { Group, Select, Text, type ComboboxItem, type SelectProps } from '@mantine/core';
import type { Attempt, AttemptStatus, RolloutStatus, RolloutWithAttempt } from '@agl/schemas';
import { StatusBadge } from '../../../components/StatusBadge';

interface RolloutOption extends ComboboxItem {
  /** Null for a chosen rollout the list does not hold (yet). */
  status: RolloutStatus | null;
  attemptStatus: AttemptStatus | null;
}

interface AttemptOption extends ComboboxItem {
  status: AttemptStatus;
}

export interface RolloutPickerProps {
  rollouts: readonly RolloutWithAttempt[];
  value: string | null;
  onChange: (rolloutId: string | null) => void;
  loading?: boolean;
}

export function RolloutPicker({ rollouts, value, onChange, loading }: RolloutPickerProps) {
  // Search text while the user types; null shows the selected id. Controlled because Mantine keeps typed text when
  // the already-selected option is picked again, which would leave a half-typed id in the field.
  const [search, setSearch] = useState<string | null>(null);
  const data: RolloutOption[] = rollouts.map((r) => ({
    value: r.rollout_id,
    label: r.rollout_id,
    status: r.status,
    attemptStatus: r.attempt?.status ?? null,
  }));
  // A rollout chosen elsewhere but not (yet) in the list still shows its id rather than a blank picker.
  if (value && !data.some((d) => d.value === value)) {
    data.unshift({ value, label: value, status: null, attemptStatus: null });
  }
  const renderOption: SelectProps['renderOption'] = ({ option }) => {
    const o = option as RolloutOption;
    return (
      <Group justify="space-between" wrap="nowrap" w="100%" gap="xs">
        <Text size="sm" ff="monospace">
          {o.label}
        </Text>
        {o.status && <StatusBadge size="xs" rolloutStatus={o.status} attemptStatus={o.attemptStatus} />}
      </Group>
    );
  };
  return (
    <Select
      label="Rollout"
      placeholder={loading ? 'Loading rollouts…' : 'Search a rollout id'}
      searchable
      data={data}
      value={value}
      onChange={onChange}
      searchValue={search ?? value ?? ''}
      onSearchChange={setSearch}
      onDropdownClose={() => setSearch(null)}
      onOptionSubmit={() => setSearch(null)}
      renderOption={renderOption}
      limit={200}
      nothingFoundMessage="No rollout with this id"
      w={300}
      comboboxProps={{ width: 380, position: 'bottom-start' }}
      allowDeselect={false}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
    />
  );
}

export interface AttemptPickerProps {
  attempts: readonly Attempt[];
  value: string | null;
  onChange: (attemptId: string | null) => void;
  loading?: boolean;
}

export function AttemptPicker({ attempts, value, onChange, loading }: AttemptPickerProps) {
  // Newest first: the default (latest) attempt is the first option.
  const data: AttemptOption[] = [...attempts].reverse().map((a, i) => ({
    value: a.attempt_id,
    label: `#${a.sequence_id} · ${a.attempt_id}${i === 0 ? ' (latest)' : ''}`,
    status: a.status,
  }));
  const renderOption: SelectProps['renderOption'] = ({ option }) => {
    const o = option as AttemptOption;
    return (
      <Group justify="space-between" wrap="nowrap" w="100%" gap="xs">
        <Text size="sm">{o.label}</Text>
        <StatusBadge size="xs" attemptStatus={o.status} />
      </Group>
    );
  };
  const current = attempts.find((a) => a.attempt_id === value);
  return (
    <Select
      label="Attempt"
      placeholder={loading ? 'Loading attempts…' : 'No attempts'}
      data={data}
      value={value}
      onChange={onChange}
      renderOption={renderOption}
      disabled={attempts.length === 0}
      allowDeselect={false}
      w={280}
      comboboxProps={{ width: 340, position: 'bottom-start' }}
      rightSectionWidth={current ? 96 : undefined}
      rightSection={current ? <StatusBadge size="xs" attemptStatus={current.status} /> : undefined}
      rightSectionPointerEvents="none"
    />
  );
}
