// Placeholder from the dashboard foundation (issue 3); the Traces page owner replaces this file.
export { TracesPage } from './TracesPagePlaceholder';
