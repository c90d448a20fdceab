/**
 * A background worker's loop: runs `tick` at once when woken and every `pollMs` otherwise, never
 * two runs at a time; a wake that arrives during a run runs it again right after.
 */
export class TickLoop {
  private active = false;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly tick: () => Promise<void>,
    private readonly pollMs: number,
  ) {}

  get running(): boolean {
    return this.active;
  }

  start(): void {
    this.active = true;
    this.wake();
  }

  /** Runs now, or right after the run in progress. */
  wake(): void {
    if (!this.active) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Takes no new run; resolves when the run in progress has finished. */
  stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    return this.ticking ?? Promise.resolve();
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
        if (!this.active) return;
        const again = this.again;
        this.again = false;
        this.schedule(again ? 0 : this.pollMs);
      });
    }, delayMs);
  }
}
