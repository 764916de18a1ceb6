import type { ReactElement } from 'react';
import { render, type RenderResult } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { AppProviders } from '../shell/AppProviders';
import { makeStore, type AppStore, type PreloadedState } from '../app/store';

export interface RenderWithProvidersOptions {
  route?: string;
  preloadedState?: PreloadedState;
  store?: AppStore;
}

/**
 * Renders UI the way the app does — Redux (a fresh store per test), Mantine with the Redux theme, a router — with
 * Mantine's test env (no transitions or portals, so dropdown options are findable in jsdom). Returns the store so
 * tests can assert on state.
 */
export function renderWithProviders(
  ui: ReactElement,
  { route = '/', preloadedState, store = makeStore(preloadedState) }: RenderWithProvidersOptions = {},
): RenderResult & { store: AppStore } {
  const result = render(
    <AppProviders store={store} env="test">
      <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
    </AppProviders>,
  );
  return { ...result, store };
}
