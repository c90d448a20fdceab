/**
 * Sends spread evenly across every process on one database. Slots come from the shared pacer row
 * (src/db/repositories/pacer.repository.ts) one interval apart, on the database's clock; this
 * places them on the local clock through an estimate of the offset between the two, taken from
 * the quickest reservation round trips (as NTP does), so a slow answer does not shift the slots.
 *
 * The interval is 3 % longer than 1/limit. A send is never early; one late by `d` can let a
 * one-second window hold `d·rate` more, and 1/0.97 − 1 of a second is 31 ms, so a send more than
 * `MAX_LATENESS_MS` late (less the offset's uncertainty) gets another slot instead of going out
 * in a burst. Then no one-second window at the receiver holds more than the limit.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { PacerRepository } from '../db/repositories/pacer.repository.js';
import type { Executor } from '../db/transaction.js';

/** Sustained rate as a share of the limit. */
export const PACE_HEADROOM = 0.97;
/** The most a send may trail its slot, all uncertainty included. */
export const MAX_LATENESS_MS = 24;
/** How fast an offset estimate is assumed to go stale (clock drift), in ms per ms. */
const driftPerMs = 1e-5;

export interface Reservation {
  /** Each slot's time on `performance.now()`'s clock. */
  readonly times: number[];
  /** How late past each slot a send may still go. */
  readonly toleranceMs: number;
}

interface OffsetSample {
  /** Database clock minus local `performance.now()`, in ms. */
  readonly offsetMs: number;
  /** Half the round trip it was measured in: the most it can be off. */
  readonly errorMs: number;
  readonly takenAt: number;
}

export class Pacer {
  readonly intervalMs: number;
  private readonly intervalUs: number;
  private readonly slots: PacerRepository;
  private best: OffsetSample | undefined;

  constructor(db: Executor, ratePerSecond: number) {
    this.intervalUs = Math.ceil(1_000_000 / (ratePerSecond * PACE_HEADROOM));
    this.intervalMs = this.intervalUs / 1000;
    this.slots = new PacerRepository(db);
  }

  /** Reserves `count` consecutive slots. */
  async reserve(count: number): Promise<Reservation> {
    const asked = performance.now();
    const { firstUs, nowUs } = await this.slots.reserve(count, this.intervalUs);
    const answered = performance.now();
    const offset = this.offset({ offsetMs: nowUs / 1000 - (asked + answered) / 2, errorMs: (answered - asked) / 2, takenAt: answered });
    // Shifted later by the offset's uncertainty, so a slot is never placed before the database's.
    const start = firstUs / 1000 - offset.offsetMs + offset.errorMs;
    return {
      times: Array.from({ length: count }, (_, index) => start + index * this.intervalMs),
      toleranceMs: Math.max(1, MAX_LATENESS_MS - 2 * offset.errorMs),
    };
  }

  /**
   * Measures the clock offset a few times before the first reservation, so the first slots are
   * placed with a tight estimate rather than one taken during a slow start.
   */
  async calibrate(rounds = 5): Promise<void> {
    for (let round = 0; round < rounds; round += 1) {
      const asked = performance.now();
      const nowUs = await this.slots.clock();
      const answered = performance.now();
      this.offset({ offsetMs: nowUs / 1000 - (asked + answered) / 2, errorMs: (answered - asked) / 2, takenAt: answered });
    }
  }

  /** Waits for one slot of its own (a read receipt counts against the limit like a send). */
  async acquire(): Promise<void> {
    const [at = performance.now()] = (await this.reserve(1)).times;
    const wait = at - performance.now();
    if (wait > 0) await sleep(wait);
  }

  /** Stops every process from sending for `ms`. */
  async holdOff(ms: number): Promise<void> {
    await this.slots.holdOff(ms * 1000);
  }

  /** The most trustworthy offset: the new sample, or an older, quicker one that has not aged past it. */
  private offset(sample: OffsetSample): OffsetSample {
    const aged = this.best && { ...this.best, errorMs: this.best.errorMs + (sample.takenAt - this.best.takenAt) * driftPerMs, takenAt: sample.takenAt };
    this.best = aged && aged.errorMs <= sample.errorMs ? aged : sample;
    return this.best;
  }
}
