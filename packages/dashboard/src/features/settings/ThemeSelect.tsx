import { Select } from '@mantine/core';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { isThemeMode, setThemeMode, type ThemeMode } from '../../app/slices/theme';

const OPTIONS: { value: ThemeMode; label: string }[] = [
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
  { value: 'system', label: 'System default' },
];

export function ThemeSelect() {
  const mode = useAppSelector((state) => state.ui.theme.mode);
  const dispatch = useAppDispatch();
  return (
    <Select
      label="Theme"
      description="System default follows your operating system's light or dark setting."
      data={OPTIONS}
      value={mode}
      allowDeselect={false}
      onChange={(next) => {
        if (isThemeMode(next)) dispatch(setThemeMode(next));
      }}
    />
  );
}
