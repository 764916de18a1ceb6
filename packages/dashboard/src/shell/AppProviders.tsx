import type { ReactNode } from 'react';
import { Provider } from 'react-redux';
import { MantineProvider } from '@mantine/core';
import { useColorScheme } from '@mantine/hooks';
import { Notifications } from '@mantine/notifications';
import type { AppStore } from '../app/store';
import { useAppSelector } from '../app/hooks';
import { theme } from './theme';

/** The colour scheme in effect: the chosen one, or the browser's `prefers-color-scheme` for `system`. */
function useEffectiveColorScheme(): 'light' | 'dark' {
  const mode = useAppSelector((state) => state.ui.theme.mode);
  // Read synchronously on first render so a dark system never flashes light.
  const system = useColorScheme('light', { getInitialValueInEffect: false });
  return mode === 'system' ? system : mode;
}

function ThemedMantine({ children, env }: { children: ReactNode; env?: 'default' | 'test' }) {
  const colorScheme = useEffectiveColorScheme();
  // Redux is the source of the theme, so Mantine's own localStorage manager is not used: the scheme is forced.
  return (
    <MantineProvider theme={theme} forceColorScheme={colorScheme} env={env}>
      <Notifications position="top-right" />
      {children}
    </MantineProvider>
  );
}

/** Redux + Mantine (theme from Redux) + notifications. The router is supplied by the caller (browser or memory). */
export function AppProviders({
  store,
  children,
  env,
}: {
  store: AppStore;
  children: ReactNode;
  env?: 'default' | 'test';
}) {
  return (
    <Provider store={store}>
      <ThemedMantine env={env}>{children}</ThemedMantine>
    </Provider>
  );
}
