/**
 * A background chore run every so often (pruning old rows), as a worker: one run at a time, the
 * first soon after start, errors logged and the next run tried as usual.
 */
import type { Worker } from '../worker.js';
import type { Logger } from './logger.js';

export class PeriodicTask implements Worker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Asked for while a run was under way: it runs once more when that one ends. */
  private again = false;

  constructor(
    readonly name: string,
    private readonly everyMs: number,
    private readonly task: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.run(), this.everyMs);
    this.timer.unref();
    setTimeout(() => this.run(), Math.min(5_000, this.everyMs)).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs the task now rather than at its next turn (once started); during a run, right after it. */
  runNow(): void {
    if (this.running) this.again = true;
    else this.run();
  }

  private run(): void {
    if (this.running || !this.timer) return;
    this.running = this.task()
      .catch((error: unknown) => this.logger.warn({ err: error, task: this.name }, 'periodic task failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.run();
        }
      });
  }
}
