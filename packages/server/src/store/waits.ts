/**
 * Long-poll waits (docs/protocol.md §4.21, §5.8). A waiter is registered per rollout id before reading, so a rollout
 * that turns terminal while the read is in flight (another server's write, on a shared database) is not missed;
 * whatever path makes a rollout terminal ends in `notify`, so waits wake at once and never poll.
 */
import type { Rollout } from '@agl/schemas';

interface Waiter {
  pending: Set<string>;
  /** Rollouts that finished while the wait was open, in completion order. */
  finished: Rollout[];
  wake: () => void;
}

export interface WaitOptions {
  ids: string[];
  /** Reads the listed rollouts as they are now (unknown ids simply missing). */
  read: (ids: string[]) => Promise<Rollout[]>;
  isTerminal: (rollout: Rollout) => boolean;
  /** Seconds; `null` waits without a deadline, `<= 0` answers at once. */
  timeout: number | null;
  signal: AbortSignal;
}

export class WaitRegistry {
  private readonly byRollout = new Map<string, Set<Waiter>>();

  /**
   * Resolves with the listed rollouts that are terminal: those terminal on arrival first (request order), then the
   * rest in completion order; unknown ids are dropped and a repeated id counts once.
   */
  async wait({ ids, read, isTerminal, timeout, signal }: WaitOptions): Promise<Rollout[]> {
    const unique = [...new Set(ids)];
    const waiter: Waiter = { pending: new Set(unique), finished: [], wake: () => undefined };
    const immediate = timeout !== null && timeout <= 0;
    if (!immediate) this.register(waiter);
    try {
      const known = await read(unique);
      const atArrival = known.filter(isTerminal);
      const seen = new Set(atArrival.map((r) => r.rollout_id));
      const later = waiter.finished.filter((r) => !seen.has(r.rollout_id));
      const knownIds = new Set(known.map((r) => r.rollout_id));
      for (const id of [...waiter.pending]) {
        if (!knownIds.has(id) || seen.has(id)) this.unregister(id, waiter); // unknown ids never block
      }
      if (immediate || waiter.pending.size === 0 || signal.aborted) return [...atArrival, ...later];
      await this.sleep(waiter, timeout, signal);
      return [...atArrival, ...waiter.finished.filter((r) => !seen.has(r.rollout_id))];
    } finally {
      for (const id of [...waiter.pending]) this.unregister(id, waiter);
    }
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
      waiter.finished.push(rollout);
      if (waiter.pending.size === 0) waiter.wake();
    }
  }

  /** Answers every pending wait with what it has (server shutdown must not hang on unbounded waits). */
  releaseAll(): void {
    const waiters = new Set([...this.byRollout.values()].flatMap((set) => [...set]));
    for (const waiter of waiters) {
      for (const id of [...waiter.pending]) this.unregister(id, waiter);
      waiter.wake();
    }
  }

  /** The rollout ids someone is waiting for (re-checked after missed notifications of a shared database). */
  pendingIds(): string[] {
    return [...this.byRollout.keys()];
  }

  /** Rollout ids someone is waiting for. */
  get size(): number {
    return this.byRollout.size;
  }

  private sleep(waiter: Waiter, timeout: number | null, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      waiter.wake = done;
      // Timers above ~24.8 days overflow setTimeout; such a deadline is as good as none.
      if (timeout !== null && timeout * 1000 < 2 ** 31 - 1) timer = setTimeout(done, timeout * 1000);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private register(waiter: Waiter): void {
    for (const id of waiter.pending) {
      let set = this.byRollout.get(id);
      if (!set) this.byRollout.set(id, (set = new Set()));
      set.add(waiter);
    }
  }

  private unregister(id: string, waiter: Waiter): void {
    waiter.pending.delete(id);
    const set = this.byRollout.get(id);
    if (!set) return;
    set.delete(waiter);
    if (set.size === 0) this.byRollout.delete(id);
  }
}
