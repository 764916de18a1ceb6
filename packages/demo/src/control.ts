/**
 * Run control shared by the trainer and the runners. `rest()` interrupts sleeps and ends the loops but lets
 * in-flight requests complete; `abort()` also aborts in-flight requests (and the client's retry delays).
 */
export class Halted extends Error {
  constructor() {
    super('demo halted');
    this.name = 'Halted';
  }
}

export class Control {
  private readonly stopController = new AbortController();
  private readonly restController = new AbortController();

  /** Set when the run was ended by its handle's `stop()` rather than by finishing. */
  stopRequested = false;

  /** Pass to every client call: aborted by `abort()`. */
  get signal(): AbortSignal {
    return this.stopController.signal;
  }

  get halted(): boolean {
    return this.restController.signal.aborted;
  }

  get aborted(): boolean {
    return this.stopController.signal.aborted;
  }

  rest(): void {
    this.restController.abort();
  }

  abort(): void {
    this.restController.abort();
    this.stopController.abort();
  }

  /** Waits, or rejects with `Halted` as soon as the run rests or stops. */
  sleep(seconds: number): Promise<void> {
    const signal = this.restController.signal;
    if (signal.aborted) return Promise.reject(new Halted());
    return new Promise((resolve, reject) => {
      const onHalt = () => {
        clearTimeout(timer);
        reject(new Halted());
      };
      const timer = setTimeout(
        () => {
          signal.removeEventListener('abort', onHalt);
          resolve();
        },
        Math.max(0, seconds * 1000),
      );
      signal.addEventListener('abort', onHalt, { once: true });
    });
  }
}

export const nowSeconds = (): number => Date.now() / 1000;
