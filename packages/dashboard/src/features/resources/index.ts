// Placeholder from the dashboard foundation (issue 3); the Resources page owner replaces this file.
export { ResourcesPage } from './ResourcesPagePlaceholder';
