/**
 * Vitest global setup of the server project: one throwaway PostgreSQL cluster for the whole run (test/helpers/
 * pg-cluster.mjs) with one database for the tests, whose URL is handed to them (`inject('pgTestUrl')`). Each store
 * a test starts works in a schema of its own in that database (`createSchema`: a new database per store would take
 * a few hundred milliseconds each). The cluster is stopped and removed when the run ends.
 */
import type { TestProject } from 'vitest/node';
import { createDatabase, startPgCluster } from '../helpers/pg-cluster.mjs';
import '../helpers/provided.js';

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startPgCluster({ durable: false });
  try {
    // English collation, as a production database would have: SQL that forgot `COLLATE "C"` sorts differently.
    project.provide('pgTestUrl', await createDatabase(cluster.adminUrl, 'agl_tests', { icuLocale: 'en' }));
  } catch (error) {
    cluster.stop();
    throw error;
  }
  return () => cluster.stop();
}
