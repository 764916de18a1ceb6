import { describe, expect, it } from 'vitest';
import { makeStore } from '../store';
import { closeDrawer, openDrawer } from './drawers';
import { showTraces } from './routerState';
import {
  selectApiKey,
  selectAutoRefreshMs,
  selectBaseUrl,
  setApiKey,
  setAutoRefreshMs,
  setBaseUrl,
  type AutoRefreshMs,
} from './serverConfig';
import { setThemeMode, type ThemeMode } from './theme';
import { apiKeyPromptDismissed, apiKeyRequired, apiKeySubmitted } from './apiKeyPrompt';

describe('serverConfig', () => {
  it('defaults to the page origin and auto-refresh off', () => {
    const state = makeStore().getState();
    expect(selectBaseUrl(state)).toBe(window.location.origin);
    expect(selectAutoRefreshMs(state)).toBe(0);
  });

  it('applies valid addresses normalised, and ignores invalid ones', () => {
    const store = makeStore();
    store.dispatch(setBaseUrl('  http://127.0.0.1:9999/store/  '));
    expect(selectBaseUrl(store.getState())).toBe('http://127.0.0.1:9999/store');
    store.dispatch(setBaseUrl('not a url'));
    store.dispatch(setBaseUrl('ftp://example.com'));
    expect(selectBaseUrl(store.getState())).toBe('http://127.0.0.1:9999/store');
  });

  it('accepts only the offered refresh intervals', () => {
    const store = makeStore();
    store.dispatch(setAutoRefreshMs(15_000));
    expect(selectAutoRefreshMs(store.getState())).toBe(15_000);
    store.dispatch(setAutoRefreshMs(1234 as AutoRefreshMs));
    expect(selectAutoRefreshMs(store.getState())).toBe(15_000);
  });
});

describe('API key', () => {
  it('is empty by default and kept without surrounding whitespace', () => {
    const store = makeStore();
    expect(selectApiKey(store.getState())).toBe('');
    store.dispatch(setApiKey('  key-1\n'));
    expect(selectApiKey(store.getState())).toBe('key-1');
  });

  it('asks once: later 401s are ignored while the prompt is open or after Cancel, until the key changes', () => {
    const store = makeStore();
    const prompt = () => store.getState().ui.apiKeyPrompt;
    store.dispatch(apiKeyRequired({ refused: false }));
    store.dispatch(apiKeyRequired({ refused: true }));
    expect(prompt()).toEqual({ status: 'open', refused: false });
    store.dispatch(apiKeyPromptDismissed());
    store.dispatch(apiKeyRequired({ refused: false }));
    expect(prompt().status).toBe('dismissed');
    store.dispatch(setApiKey('')); // unchanged: still dismissed
    expect(prompt().status).toBe('dismissed');
    store.dispatch(setBaseUrl('http://127.0.0.1:1234'));
    expect(prompt().status).toBe('idle');
  });

  it('Save in the prompt stores the key and closes it', () => {
    const store = makeStore();
    store.dispatch(apiKeyRequired({ refused: false }));
    store.dispatch(apiKeySubmitted(' typed-key '));
    expect(selectApiKey(store.getState())).toBe('typed-key');
    expect(store.getState().ui.apiKeyPrompt.status).toBe('idle');
  });
});

describe('ui slices', () => {
  it('theme defaults to system and switches between the three modes only', () => {
    const store = makeStore();
    expect(store.getState().ui.theme.mode).toBe('system');
    store.dispatch(setThemeMode('dark'));
    expect(store.getState().ui.theme.mode).toBe('dark');
    store.dispatch(setThemeMode('sepia' as ThemeMode));
    expect(store.getState().ui.theme.mode).toBe('dark');
  });

  it('the drawer holds ids and a type, and closes', () => {
    const store = makeStore();
    const content = { type: 'rawJson', subject: { kind: 'attempt', rolloutId: 'ro-1', attemptId: 'at-1' } } as const;
    store.dispatch(openDrawer(content));
    expect(store.getState().ui.drawers.content).toEqual(content);
    store.dispatch(closeDrawer());
    expect(store.getState().ui.drawers.content).toBeNull();
  });

  it('routerState mirrors which traces to show', () => {
    const store = makeStore();
    expect(store.getState().ui.routerState.traces).toEqual({ rolloutId: null, attemptId: null });
    store.dispatch(showTraces({ rolloutId: 'ro-1', attemptId: 'at-2' }));
    expect(store.getState().ui.routerState.traces).toEqual({ rolloutId: 'ro-1', attemptId: 'at-2' });
  });

  it('a partial preloaded ui state keeps the defaults of the other slices', () => {
    const state = makeStore({ ui: { theme: { mode: 'light' } } }).getState();
    expect(state.ui.theme.mode).toBe('light');
    expect(state.ui.drawers.content).toBeNull();
    expect(state.ui.apiKeyPrompt).toEqual({ status: 'idle', refused: false });
  });
});
