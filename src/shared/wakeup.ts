/**
 * A sleep that can be cut short: workers wait for new work or a timeout, whichever comes first,
 * and whoever adds work calls `wake()`, which releases every waiter. A wake with nobody waiting
 * is remembered for the next wait, so work added between two waits is not slept through.
 */
export class Wakeup {
  private pending = false;
  private readonly waiters = new Set<() => void>();

  wake(): void {
    if (this.waiters.size === 0) {
      this.pending = true;
      return;
    }
    for (const release of [...this.waiters]) release();
  }

  /** Resolves after `ms`, or at once on `wake()`. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        this.waiters.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.waiters.add(release);
    });
  }
}
