// The Traces feature's public surface: the page (routes.tsx lazy-loads it). SpanDetailDrawer.tsx is loaded by
// the app drawer through its default export.
export { TracesPage } from './page/TracesPage';
