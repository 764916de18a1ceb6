import { describe, expect, it } from 'vitest';
import { act, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithProviders } from '../../test/render';
import { SettingsPage } from './SettingsPage';

describe('SettingsPage', () => {
  it('shows the defaults: auto-refresh off, this origin, system theme', () => {
    renderWithProviders(<SettingsPage />);
    expect(screen.getByRole('textbox', { name: 'Auto-refresh interval' })).toHaveValue('Off');
    expect(screen.getByRole('textbox', { name: 'Backend address' })).toHaveValue(window.location.origin);
    expect(screen.getByRole('textbox', { name: 'Theme' })).toHaveValue('System default');
    expect(screen.getByLabelText('API key')).toHaveValue('');
  });

  it('applies the API key when the field is left, not per keystroke', async () => {
    const user = userEvent.setup();
    const { store } = renderWithProviders(<SettingsPage />);
    const input = screen.getByLabelText('API key');
    await user.type(input, 'abc');
    expect(store.getState().serverConfig.apiKey).toBe('');
    await user.tab();
    expect(store.getState().serverConfig.apiKey).toBe('abc');
  });

  it('applies the selects to the store at once', async () => {
    const user = userEvent.setup();
    const { store } = renderWithProviders(<SettingsPage />);
    await user.click(screen.getByRole('textbox', { name: 'Auto-refresh interval' }));
    await user.click(await screen.findByRole('option', { name: '15 s' }));
    expect(store.getState().serverConfig.autoRefreshMs).toBe(15_000);

    await user.click(screen.getByRole('textbox', { name: 'Theme' }));
    await user.click(await screen.findByRole('option', { name: 'Dark' }));
    expect(store.getState().ui.theme.mode).toBe('dark');
  });

  it('explains an invalid address and keeps the last valid one', async () => {
    const { store } = renderWithProviders(<SettingsPage />);
    const input = screen.getByRole('textbox', { name: 'Backend address' });
    fireEvent.change(input, { target: { value: 'localhost:4747' } });
    fireEvent.blur(input);
    expect(await screen.findByText('The address must start with http:// or https://')).toBeInTheDocument();
    expect(store.getState().serverConfig.baseUrl).toBe(window.location.origin);

    fireEvent.change(input, { target: { value: 'http://127.0.0.1:5555/' } });
    await act(async () => {
      fireEvent.keyDown(input, { key: 'Enter' });
    });
    expect(store.getState().serverConfig.baseUrl).toBe('http://127.0.0.1:5555');
    expect(screen.queryByText(/must start with/)).not.toBeInTheDocument();
  });
});
