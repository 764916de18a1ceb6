/**
 * Long-poll waits (§4.21, §5.8). A waiter is a promise registered per rollout id; whatever path turns a rollout
 * terminal calls `notify`, so waits wake at once and never poll or hold anything that blocks other requests.
 */
import type { Rollout } from '@agl/schemas';

interface Waiter {
  pending: Set<string>;
  results: Rollout[];
  finish: () => void;
}

export class WaitRegistry {
  private byRollout = new Map<string, Set<Waiter>>();

  /**
   * `initial` holds the known rollouts in request order (unknown ids already dropped, duplicates removed).
   * Resolves with those terminal on arrival first (request order), then the rest in completion order.
   */
  wait(
    initial: Rollout[],
    isTerminal: (r: Rollout) => boolean,
    timeout: number | null,
    signal: AbortSignal,
  ): Promise<Rollout[]> {
    const results = initial.filter(isTerminal);
    const pending = new Set(initial.filter((r) => !isTerminal(r)).map((r) => r.rollout_id));
    if (pending.size === 0 || (timeout !== null && timeout <= 0) || signal.aborted) return Promise.resolve(results);

    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        pending,
        results,
        finish: () => {
          for (const id of waiter.pending) this.unregister(id, waiter);
          waiter.pending.clear();
          if (timer) clearTimeout(timer);
          signal.removeEventListener('abort', waiter.finish);
          resolve(waiter.results);
        },
      };
      for (const id of pending) {
        let set = this.byRollout.get(id);
        if (!set) this.byRollout.set(id, (set = new Set()));
        set.add(waiter);
      }
      // Timers above ~24.8 days overflow setTimeout; such a deadline is as good as none.
      if (timeout !== null && timeout * 1000 < 2 ** 31 - 1) timer = setTimeout(waiter.finish, timeout * 1000);
      signal.addEventListener('abort', waiter.finish, { once: true });
    });
  }

  /**
   * Called with a rollout that has just become terminal (once its change is durable). The rollout is shared, not
   * copied: the store never mutates a rollout object after writing it, and a copy per waiter is what once overflowed
   * the stack on a deeply nested input.
   */
  notify(rollout: Rollout): void {
    const waiters = this.byRollout.get(rollout.rollout_id);
    if (!waiters) return;
    this.byRollout.delete(rollout.rollout_id);
    for (const waiter of waiters) {
      waiter.pending.delete(rollout.rollout_id);
      waiter.results.push(rollout);
      if (waiter.pending.size === 0) waiter.finish();
    }
  }

  /** Answers every pending wait with what it has (server shutdown must not hang on unbounded waits). */
  releaseAll(): void {
    const waiters = new Set([...this.byRollout.values()].flatMap((set) => [...set]));
    for (const waiter of waiters) waiter.finish();
  }

  get size(): number {
    return this.byRollout.size;
  }

  private unregister(id: string, waiter: Waiter): void {
    const set = this.byRollout.get(id);
    if (!set) return;
    set.delete(waiter);
    if (set.size === 0) this.byRollout.delete(id);
  }
}
