/**
 * Runs async tasks one at a time, in arrival order. Engines that are synchronous inside (memory, SQLite) still
 * expose an async contract, and a store operation awaits between its steps: two operations started in the same
 * turn would otherwise interleave at those awaits and see each other half-done. With nothing to wait for, a task
 * starts at once.
 */
export class SerialQueue {
  private busy = false;
  private readonly waiting: Array<() => void> = [];

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.busy = true;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next)
        next(); // stays busy: the next task owns the queue now
      else this.busy = false;
    }
  }

  get idle(): boolean {
    return !this.busy;
  }
}
