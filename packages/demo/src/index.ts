/**
 * A simulated agent-lightning training run against a live store, driven only through `@agl/client` (no back
 * doors into storage): a trainer enqueues batches and publishes resources while several runners claim rollouts,
 * stream spans and report outcomes, with failures, a timeout, a silent runner and a cancellation along the way.
 */
import { LightningStoreClient, type LightningStoreClientOptions } from '@agl/client';
import type { DemoContext } from './context.js';
import { Control } from './control.js';
import { Runner } from './runner.js';
import { Scenario, timingFor } from './scenario.js';
import { emptyLists, type DemoSummary } from './summary.js';
import { Trainer } from './trainer.js';

export type { DemoSummary, PlannedRollout, AttemptRef, RewardRecord, SpanRef } from './summary.js';
export type { Trouble, ExpectedStatus } from './scenario.js';

export interface DemoOptions {
  /** Store server address, e.g. `http://127.0.0.1:4747`. */
  baseUrl: string;
  /** Time scale: 1 is real time (a rollout takes a few seconds); 10 runs ten times faster. Default 1. */
  speed?: number;
  /** Concurrent runners, each with its own worker ID (`runner-1`…). Default 4. */
  runners?: number;
  /** Rollouts per batch. Default 8. */
  rolloutsPerBatch?: number;
  /** Same seed, same shape of run. Default 42. */
  seed?: number;
  /** Finite mode: enqueue this many rollouts, wait for all of them, then stop. Default: run until `stop()`. */
  totalRollouts?: number;
  /** A new resources snapshot every this many batches. Default 2. */
  resourcesEveryBatches?: number;
  /** Progress lines (batches, troubles); default silent. */
  log?: (line: string) => void;
  /** Client settings (timeouts, retries) for every call the demo makes. */
  client?: Omit<LightningStoreClientOptions, 'baseUrl'>;
}

export interface DemoHandle {
  /** Resolves when finite mode completes or after `stop()`; rejects if the trainer cannot reach the store. */
  done: Promise<DemoSummary>;
  /**
   * Ends the run and resolves once trainer and runners have stopped: in-flight requests may finish (about a
   * second at most), whatever still runs after `STOP_GRACE_MS` is aborted.
   */
  stop(): Promise<void>;
}

/** How long `stop()` lets in-flight requests finish before aborting them (a server that went away, retries). */
const STOP_GRACE_MS = 3000;

export function startDemo(options: DemoOptions): DemoHandle {
  const speed = options.speed ?? 1;
  const seed = options.seed ?? 42;
  const runners = options.runners ?? 4;
  const rolloutsPerBatch = options.rolloutsPerBatch ?? 8;
  const resourcesEveryBatches = options.resourcesEveryBatches ?? 2;
  for (const [name, value] of Object.entries({ runners, rolloutsPerBatch, resourcesEveryBatches })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`demo ${name} must be a positive integer, got ${value}`);
  }
  const timing = timingFor(speed);
  const ctx: DemoContext = {
    client: new LightningStoreClient({ ...options.client, baseUrl: options.baseUrl }),
    scenario: new Scenario(seed, timing),
    timing,
    control: new Control(),
    record: emptyLists(),
    counters: { spans: 0, batches: 0 },
    log: options.log ?? (() => undefined),
  };
  const trainer = new Trainer(ctx, { rolloutsPerBatch, totalRollouts: options.totalRollouts, resourcesEveryBatches });
  const workers = Array.from({ length: runners }, (_, i) => new Runner(ctx, `runner-${i + 1}`).run());

  const done = (async (): Promise<DemoSummary> => {
    try {
      await trainer.run();
    } catch (error) {
      if (!ctx.control.stopRequested) throw error;
    } finally {
      // Finite mode is over (or the trainer failed): runners finish what they are sending, then leave.
      ctx.control.rest();
      await Promise.all(workers);
    }
    return {
      seed,
      speed,
      batches: ctx.counters.batches,
      spans: ctx.counters.spans,
      stopped: ctx.control.stopRequested,
      ...ctx.record,
    };
  })();
  // `stop()` callers await `done` themselves if they want the summary; keep an unobserved rejection quiet.
  done.catch(() => undefined);

  return {
    done,
    stop: async () => {
      ctx.control.stopRequested = true;
      ctx.control.rest();
      // Aborting a request can leave the server a connection that never sends anything, which Node counts as
      // busy, so the server's close would wait for it. Abort only what is still going after a grace period.
      const grace = setTimeout(() => ctx.control.abort(), STOP_GRACE_MS);
      await done.catch(() => undefined);
      clearTimeout(grace);
    },
  };
}
