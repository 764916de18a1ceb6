import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { useMemo, type ReactNode } from 'react';
import type { Decorator, Preview } from '@storybook/react-vite';
import { MemoryRouter } from 'react-router';
import { initialize, mswLoader } from 'msw-storybook-addon';
import { AppProviders } from '../src/shell/AppProviders';
import { makeStore, type PreloadedState } from '../src/app/store';
import type { ThemeMode } from '../src/app/slices/theme';

// Stories describe the requests they expect with msw handlers; anything else (Vite modules, assets) passes through.
initialize({ onUnhandledRequest: 'bypass', quiet: true });

export interface AppStoryParameters {
  /** Initial Redux state for the story's fresh store. */
  preloadedState?: PreloadedState;
  /** Initial URL of the story's MemoryRouter. */
  route?: string;
}

/** Every story gets what the app has: a fresh store, Mantine themed from Redux, a router. */
function StoryApp({
  storyId,
  mode,
  app,
  children,
}: {
  storyId: string;
  mode: ThemeMode;
  app: AppStoryParameters;
  children: ReactNode;
}) {
  // A new store per story (and per theme switch) so stories never share state.
  const store = useMemo(
    () =>
      makeStore({
        ...app.preloadedState,
        // Stories talk to msw on the Storybook origin unless they say otherwise.
        serverConfig: app.preloadedState?.serverConfig ?? { baseUrl: window.location.origin, autoRefreshMs: 0 },
        ui: { ...app.preloadedState?.ui, theme: { mode } },
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [storyId, mode],
  );
  return (
    <AppProviders store={store}>
      <MemoryRouter initialEntries={[app.route ?? '/']}>{children}</MemoryRouter>
    </AppProviders>
  );
}

const withApp: Decorator = (Story, context) => (
  <StoryApp
    storyId={context.id}
    mode={(context.globals.theme as ThemeMode | undefined) ?? 'light'}
    app={(context.parameters.app ?? {}) as AppStoryParameters}
  >
    <Story />
  </StoryApp>
);

const preview: Preview = {
  decorators: [withApp],
  loaders: [mswLoader],
  globalTypes: {
    theme: {
      description: 'Colour scheme of the dashboard',
      toolbar: {
        title: 'Theme',
        icon: 'contrast',
        items: [
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
          { value: 'system', title: 'System' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
  parameters: {
    layout: 'fullscreen',
    controls: { matchers: { color: /(background|color)$/i, date: /Date$/i } },
  },
};

export default preview;
