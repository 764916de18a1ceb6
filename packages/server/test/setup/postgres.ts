/**
 * Vitest global setup of the server project: one throwaway PostgreSQL cluster for the whole run (test/helpers/
 * pg-cluster.mjs), its admin URL handed to the tests (`inject('pgAdminUrl')`); each store a test starts gets a
 * database of its own on it (`createDatabase`). The cluster is stopped and removed when the run ends.
 */
import type { TestProject } from 'vitest/node';
import { startPgCluster } from '../helpers/pg-cluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startPgCluster({ durable: false });
  project.provide('pgAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
