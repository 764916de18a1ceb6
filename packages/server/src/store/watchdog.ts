/**
 * The watchdog of §5.5 / §7f: timeouts and unresponsive attempts, checked before store requests (debounced) and
 * on a background timer. It keeps, per active rollout, the earliest time a rule can fire (`watchdogDueAt`), so a
 * scan with nothing due costs one comparison — scans run before nearly every request.
 *
 * It is background work, so it never throws: a failing scan (a database locked by another process, a full disk)
 * is logged, reported to the health monitor, and retried with exponential backoff; a request that triggered it
 * goes on regardless, so reads keep working while writes fail.
 */
import type { RolloutRecord } from '../storage/engine.js';
import { watchdogDueAt, watchdogSteps, withAttemptStatus } from './rules.js';
import type { LightningStore } from './store.js';

export interface WatchdogOptions {
  /** Background scan period; 0 disables the timer. Default 1 s. */
  intervalSeconds?: number;
  /** A before-request scan is skipped if the previous scan started less than this long ago. Default 0. */
  requestDebounceSeconds?: number;
}

/** Backoff after consecutive failures: 0.5 s, 1 s, 2 s … capped here. */
const MAX_BACKOFF_SECONDS = 30;

export class Watchdog {
  private readonly due = new Map<string, number>();
  private minDue = Infinity;
  private lastScan = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalSeconds: number;
  private readonly debounceSeconds: number;
  private failures = 0;
  private retryAt = -Infinity;
  /** Set when a failed commit may have left `due` ahead of storage; the next scan reloads it first. */
  private stale = false;

  constructor(
    private readonly store: LightningStore,
    private readonly now: () => number,
    options: WatchdogOptions = {},
  ) {
    this.intervalSeconds = options.intervalSeconds ?? 1;
    this.debounceSeconds = options.requestDebounceSeconds ?? 0;
  }

  start(): void {
    if (this.intervalSeconds <= 0 || this.timer) return;
    this.timer = setInterval(() => this.scan(), this.intervalSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Records the current state of rollouts that were just written (or loaded at startup). */
  track(records: RolloutRecord[]): void {
    for (const { rollout, latest } of records) {
      const active = rollout.status === 'preparing' || rollout.status === 'running';
      const dueAt = active && latest !== null ? watchdogDueAt(latest, rollout.config) : Infinity;
      if (dueAt === Infinity) {
        this.due.delete(rollout.rollout_id);
      } else {
        this.due.set(rollout.rollout_id, dueAt);
        if (dueAt < this.minDue) this.minDue = dueAt;
      }
    }
  }

  /** Reload the working set from storage before the next scan (after a rolled-back commit). */
  resyncLater(): void {
    this.stale = true;
    this.minDue = -Infinity;
  }

  beforeRequest(): void {
    if (this.debounceSeconds > 0 && this.now() - this.lastScan < this.debounceSeconds) return;
    this.scan();
  }

  /** Applies every rule that is due; returns how many rollouts it changed. Never throws. */
  scan(): number {
    const now = this.now();
    if (now < this.retryAt) return 0;
    this.lastScan = now;
    if (now <= this.minDue) return 0;
    try {
      if (this.stale) this.reload();
      const changed = this.applyDue(now);
      if (this.failures > 0) this.store.log.warn(`watchdog recovered after ${this.failures} failed scans`);
      this.failures = 0;
      this.retryAt = -Infinity;
      this.store.health.succeeded('watchdog');
      return changed;
    } catch (error) {
      this.failures++;
      const backoff = Math.min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** (this.failures - 1));
      this.retryAt = now + backoff;
      const problem = this.store.health.failed('watchdog', error);
      this.store.log.error(
        `watchdog scan failed (${problem.failures} in a row; retrying in ${backoff} s): ${describe(error)}`,
      );
      return 0;
    }
  }

  get size(): number {
    return this.due.size;
  }

  private reload(): void {
    const active = this.store.engine.listActiveRollouts();
    this.due.clear();
    this.minDue = Infinity;
    this.track(active);
    this.stale = false;
  }

  private applyDue(now: number): number {
    let changed = 0;
    this.store.tx(() => {
      for (const [rolloutId, dueAt] of [...this.due]) {
        if (dueAt < now && this.apply(rolloutId, now)) changed++;
      }
    });
    let minDue = Infinity;
    for (const dueAt of this.due.values()) if (dueAt < minDue) minDue = dueAt;
    this.minDue = minDue;
    return changed;
  }

  private apply(rolloutId: string, now: number): boolean {
    let record = this.store.engine.getRollout(rolloutId);
    const active = record?.rollout.status === 'preparing' || record?.rollout.status === 'running';
    if (!record?.latest || !active) {
      // Moved on in this batch (or gone): published changes will re-track it if it is active again.
      this.due.delete(rolloutId);
      return false;
    }
    const steps = watchdogSteps(record.latest, record.rollout.config, now);
    for (const step of steps) {
      if (!record?.latest) break;
      const attempt = step.kind === 'repropagate' ? record.latest : withAttemptStatus(record.latest, step.status, now);
      this.store.setAttemptStatus(record, attempt);
      record = this.store.engine.getRollout(rolloutId);
    }
    if (steps.length === 0 && record) this.track([record]); // due time was stale (e.g. a newer heartbeat)
    return steps.length > 0;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
