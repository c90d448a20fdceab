/**
 * When a failed delivery is tried again: the first retry after about `baseMs`, each wait about
 * twice the one before, ±20 % jitter so endpoints that failed together do not get retried
 * together, never more than `maxMs`.
 *
 * @example
 * retryDelayMs(1, { baseMs: 2000, maxMs: 600_000 }) // 1600 to 2400
 * retryDelayMs(3, { baseMs: 2000, maxMs: 600_000 }) // 6400 to 9600
 */
export interface RetrySchedule {
  readonly baseMs: number;
  readonly maxMs: number;
}

const JITTER = 0.2;

/** The wait after the `failures`-th failure in a row (1 for the first); `random` is in [0, 1). */
export function retryDelayMs(failures: number, schedule: RetrySchedule, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const unjittered = Math.min(schedule.baseMs * 2 ** exponent, schedule.maxMs);
  const jittered = unjittered * (1 - JITTER + 2 * JITTER * random());
  return Math.round(Math.min(jittered, schedule.maxMs));
}
