/**
 * The requests a person is waiting on (a click on Explain, an image being classified). Background
 * work such as precompiling graphs waits until none is in flight before each of its steps: a
 * step is seconds of JavaScript on the engine's one thread, and while it runs, an answer already
 * computed cannot even be written to the channel.
 */
export class ForegroundActivity {
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  /** Counts `work` as in flight until it settles. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /**
   * Resolves when nothing has been in flight for `quietMs` (the last answer has left, and a request
   * that follows at once, such as the classification after an image opens, has had time to arrive).
   */
  async idle(quietMs = 50): Promise<void> {
    for (;;) {
      if (this.inFlight > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      if (this.inFlight === 0) return;
    }
  }
}
