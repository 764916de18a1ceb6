// The Resources feature's public surface: the page (routes.tsx lazy-loads it).
export { ResourcesPage } from './page/ResourcesPage';
