import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

const THEME_MODES = ['light', 'dark', 'system'] as const;
/** `system` follows the browser's `prefers-color-scheme`. */
export type ThemeMode = (typeof THEME_MODES)[number];

export function isThemeMode(value: unknown): value is ThemeMode {
  return THEME_MODES.includes(value as ThemeMode);
}

export interface ThemeState {
  mode: ThemeMode;
}

export const themeSlice = createSlice({
  name: 'theme',
  initialState: (): ThemeState => ({ mode: 'system' }),
  reducers: {
    setThemeMode(state, action: PayloadAction<ThemeMode>) {
      if (isThemeMode(action.payload)) state.mode = action.payload;
    },
  },
});

export const { setThemeMode } = themeSlice.actions;
