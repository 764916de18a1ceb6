import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { setupListeners } from '@reduxjs/toolkit/query';
import { AppProviders } from './AppProviders';
import { AppRoutes } from './routes';
import { makeStore } from '../app/store';
import { loadSettings, persistSettings } from '../app/persistence';

const store = makeStore(loadSettings());
persistSettings(store);
// Feeds focus/visibility/online into RTK Query so polling pauses while the tab is hidden.
setupListeners(store.dispatch);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProviders store={store}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </AppProviders>
  </StrictMode>,
);
