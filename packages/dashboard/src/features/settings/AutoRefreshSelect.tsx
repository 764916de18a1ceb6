import { Select } from '@mantine/core';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import {
  AUTO_REFRESH_CHOICES_MS,
  isAutoRefreshMs,
  selectAutoRefreshMs,
  setAutoRefreshMs,
} from '../../app/slices/serverConfig';

const label = (ms: number) => (ms === 0 ? 'Off' : `${ms / 1000} s`);
const OPTIONS = AUTO_REFRESH_CHOICES_MS.map((ms) => ({ value: String(ms), label: label(ms) }));

export function AutoRefreshSelect() {
  const value = useAppSelector(selectAutoRefreshMs);
  const dispatch = useAppDispatch();
  return (
    <Select
      label="Auto-refresh interval"
      description="How often list views reload; paused while the tab is hidden."
      data={OPTIONS}
      value={String(value)}
      allowDeselect={false}
      onChange={(next) => {
        const ms = Number(next);
        if (isAutoRefreshMs(ms)) dispatch(setAutoRefreshMs(ms));
      }}
    />
  );
}
