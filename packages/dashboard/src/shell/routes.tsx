/**
 * The pages. Each is its own chunk, so the first paint only pays for the shell and the page it lands on.
 * Only the page is in the URL in this iteration (docs/dashboard.md, "Pages and URLs").
 */
import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AppLayout } from './layout/AppLayout';
import { NotFoundPage } from './NotFoundPage';

const RolloutsPage = lazy(() => import('../features/rollouts').then((m) => ({ default: m.RolloutsPage })));
const ResourcesPage = lazy(() => import('../features/resources').then((m) => ({ default: m.ResourcesPage })));
const TracesPage = lazy(() => import('../features/traces').then((m) => ({ default: m.TracesPage })));
const SettingsPage = lazy(() => import('../features/settings').then((m) => ({ default: m.SettingsPage })));

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<Navigate to="/rollouts" replace />} />
        <Route path="rollouts" element={<RolloutsPage />} />
        <Route path="resources" element={<ResourcesPage />} />
        <Route path="traces" element={<TracesPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
