/**
 * Test-only hooks of the storage engines, inert unless their environment variable is set.
 *
 * `AGL_TEST_HOLD_COMMIT_FILE=<path>`: while `<path>` exists, a SQLite group commit stops right before its COMMIT —
 * the batch's writes done, none of them durable — writes `agl-store: holding a commit` to stderr and blocks the
 * process (30 s at most), so that a test can SIGKILL it inside the commit window and check that no write in the
 * batch was answered (packages/server/test/durability.test.ts).
 */
import { existsSync } from 'node:fs';

const holdFile = process.env.AGL_TEST_HOLD_COMMIT_FILE;

export const holdBeforeCommit: () => void = holdFile
  ? () => {
      if (!existsSync(holdFile)) return;
      process.stderr.write('agl-store: holding a commit\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
    }
  : () => undefined;
