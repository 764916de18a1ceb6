/**
 * What the server project's global setup hands to tests (`inject`), declared once and imported wherever it is read
 * or provided, so every TypeScript project that compiles those files sees it.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** The tests' PostgreSQL database (test/setup/postgres.ts); `createSchema(url)` makes a store's schema in it. */
    pgTestUrl: string;
  }
}

export {};
