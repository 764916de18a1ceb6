/**
 * The watchdog of docs/protocol.md §5.5 / §7f: timeouts and unresponsive attempts, checked before requests and on a
 * background timer. Storage keeps each active rollout's next due time (indexed), and the watchdog keeps a lower bound
 * of the earliest one, so a scan with nothing due costs one comparison — scans run before nearly every request.
 *
 * It is background work, so it never throws: a failing scan (a database locked by another process, a full disk) is
 * logged, reported to the health monitor and retried with exponential backoff, and the request that triggered it goes
 * on regardless, so reads keep working while writes fail.
 */
import type { HealthMonitor } from './health.js';

export interface WatchdogOptions {
  /** Background scan period; 0 disables the timer. Default 1 s. */
  intervalSeconds?: number;
  /** A before-request scan is skipped if the previous scan started less than this long ago. Default 0. */
  requestDebounceSeconds?: number;
}

/** What the watchdog needs from the store. */
export interface WatchdogHost {
  /** Active rollouts due before `now` (at most `limit`). */
  listDue(now: number, limit: number): Promise<string[]>;
  /** The earliest due time of any active rollout, or null. */
  nextDueTime(): Promise<number | null>;
  /** Applies the rules to one rollout in its own transaction; true if it changed anything. */
  applyRules(rolloutId: string, now: number): Promise<boolean>;
  health: HealthMonitor;
  log: { warn(message: string): void; error(message: string): void };
  /**
   * Present when other servers share the storage: scans run only while it returns true (one server at a time is
   * the watchdog), and the timer re-reads the earliest due time on every tick, since other servers' new due times
   * are not announced here.
   */
  mayRun?: () => boolean;
}

/** Backoff after consecutive failures: 0.5 s, 1 s, 2 s … capped here. */
const MAX_BACKOFF_SECONDS = 30;
/** Rollouts handled per round of a scan; a scan repeats rounds until nothing is due. */
const ROUND_SIZE = 500;

export class Watchdog {
  /** No active rollout is due before this (a lower bound: -Infinity means "look"). */
  private earliestDue = -Infinity;
  /** The smallest due time noted while a scan was reading `nextDueTime`, so the scan cannot overwrite it. */
  private notedDuringScan = Infinity;
  private running: Promise<number> | null = null;
  private lastScan = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private retryAt = -Infinity;
  private wasPermitted = false;
  private readonly intervalSeconds: number;
  private readonly debounceSeconds: number;

  constructor(
    private readonly host: WatchdogHost,
    private readonly now: () => number,
    options: WatchdogOptions = {},
  ) {
    this.intervalSeconds = options.intervalSeconds ?? 1;
    this.debounceSeconds = options.requestDebounceSeconds ?? 0;
  }

  start(): void {
    if (this.intervalSeconds <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (this.host.mayRun) this.forgetEarliestDue();
      void this.scan();
    }, this.intervalSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A rollout was written with this due time (null: none). */
  noteDue(dueTime: number | null): void {
    if (dueTime === null) return;
    if (dueTime < this.earliestDue) this.earliestDue = dueTime;
    if (dueTime < this.notedDuringScan) this.notedDuringScan = dueTime;
  }

  /** Storage may have changed behind our back (a rolled-back commit, another server): look on the next scan. */
  forgetEarliestDue(): void {
    this.earliestDue = -Infinity;
    this.notedDuringScan = -Infinity;
  }

  /**
   * The scan to await before a request does its work, or null when nothing can be due (the common case, which
   * then costs no promise at all).
   */
  beforeRequest(): Promise<number> | null {
    if (!this.permitted()) return null;
    const now = this.now();
    if (this.debounceSeconds > 0 && now - this.lastScan < this.debounceSeconds) return null;
    if (this.running) return this.running;
    if (now <= this.earliestDue || now < this.retryAt) {
      this.lastScan = now;
      return null;
    }
    return this.scan();
  }

  /** Applies every rule that is due; resolves with how many rollouts changed. Never rejects. */
  scan(): Promise<number> {
    this.running ??= this.runScan().finally(() => (this.running = null));
    return this.running;
  }

  private async runScan(): Promise<number> {
    const now = this.now();
    this.lastScan = now;
    if (!this.permitted()) return 0;
    if (now <= this.earliestDue || now < this.retryAt) return 0;
    try {
      let changed = 0;
      for (;;) {
        this.notedDuringScan = Infinity;
        const due = await this.host.listDue(now, ROUND_SIZE);
        for (const id of due) if (await this.host.applyRules(id, now)) changed++;
        if (due.length < ROUND_SIZE) break;
      }
      const next = await this.host.nextDueTime();
      this.earliestDue = Math.min(next ?? Infinity, this.notedDuringScan);
      this.recovered();
      return changed;
    } catch (error) {
      this.failed(error, now);
      return 0;
    }
  }

  /** Whether this server may scan now; one that just became the watchdog starts from the database's due times. */
  private permitted(): boolean {
    if (!this.host.mayRun) return true;
    const allowed = this.host.mayRun();
    if (allowed && !this.wasPermitted) this.forgetEarliestDue();
    this.wasPermitted = allowed;
    return allowed;
  }

  private recovered(): void {
    if (this.failures > 0) this.host.log.warn(`watchdog recovered after ${this.failures} failed scans`);
    this.failures = 0;
    this.retryAt = -Infinity;
    this.host.health.succeeded('watchdog');
  }

  private failed(error: unknown, now: number): void {
    this.failures++;
    const backoff = Math.min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** (this.failures - 1));
    this.retryAt = now + backoff;
    this.earliestDue = -Infinity; // whatever was due still is
    const problem = this.host.health.failed('watchdog', error);
    const message = error instanceof Error ? error.message : String(error);
    this.host.log.error(`watchdog scan failed (${problem.failures} in a row; retrying in ${backoff} s): ${message}`);
  }
}
