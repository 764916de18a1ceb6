/**
 * The watchdog of §5.5 / §7f: timeouts and unresponsive attempts, checked before store requests (debounced) and
 * on a background timer. It keeps, per active rollout, the earliest time a rule can fire (`watchdogDueAt`), so a
 * scan with nothing due costs one comparison — scans run before nearly every request.
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

export class Watchdog {
  private readonly due = new Map<string, number>();
  private minDue = Infinity;
  private lastScan = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalSeconds: number;
  private readonly debounceSeconds: number;

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
      if (!active || latest === null) {
        this.due.delete(rollout.rollout_id);
        continue;
      }
      const dueAt = watchdogDueAt(latest, rollout.config);
      if (dueAt === Infinity) {
        this.due.delete(rollout.rollout_id);
      } else {
        this.due.set(rollout.rollout_id, dueAt);
        if (dueAt < this.minDue) this.minDue = dueAt;
      }
    }
  }

  beforeRequest(): void {
    if (this.debounceSeconds > 0 && this.now() - this.lastScan < this.debounceSeconds) return;
    this.scan();
  }

  /** Applies every rule that is due; returns how many rollouts it changed. */
  scan(): number {
    const now = this.now();
    this.lastScan = now;
    if (now <= this.minDue) return 0;
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

  get size(): number {
    return this.due.size;
  }

  private apply(rolloutId: string, now: number): boolean {
    let record = this.store.engine.getRollout(rolloutId);
    if (!record?.latest) {
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
