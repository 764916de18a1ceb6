import { createTheme } from '@mantine/core';

/** Deliberately short: Mantine's defaults plus the brand colour. Per-component tweaks use style props. */
export const theme = createTheme({
  primaryColor: 'violet',
  defaultRadius: 'md',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
});
