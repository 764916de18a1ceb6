/**
 * Failures of background work, kept so `/health` and the dashboard can say what is wrong while the process keeps
 * running. A background job reports each outcome; a problem is listed once it has persisted, so one transient
 * failure (a lock held for a moment) does not flap the indicator.
 */
import type { HealthProblem } from '@agl/schemas';

/** A problem is listed after this many consecutive failures… */
const LIST_AFTER_FAILURES = 3;
/** …or once it has lasted this long. */
const LIST_AFTER_SECONDS = 3;

export class HealthMonitor {
  private readonly failing = new Map<string, HealthProblem>();

  constructor(private readonly now: () => number) {}

  failed(source: string, error: unknown): HealthProblem {
    const message = error instanceof Error ? error.message : String(error);
    const previous = this.failing.get(source);
    const problem: HealthProblem = {
      source,
      message,
      since: previous?.since ?? this.now(),
      failures: (previous?.failures ?? 0) + 1,
    };
    this.failing.set(source, problem);
    return problem;
  }

  succeeded(source: string): void {
    this.failing.delete(source);
  }

  /** Problems that have persisted, oldest first. */
  problems(): HealthProblem[] {
    const now = this.now();
    return [...this.failing.values()].filter(
      (p) => p.failures >= LIST_AFTER_FAILURES || now - p.since >= LIST_AFTER_SECONDS,
    );
  }
}
