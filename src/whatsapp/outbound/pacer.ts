/**
 * Sends spread evenly across every process on one database, per channel (each number has its own
 * limit and its own pacer row). Slots come from the shared pacer row
 * (src/db/repositories/pacer.repository.ts) one interval apart, on the database's clock; this
 * places them on the local clock through an estimate of the offset between the two, taken from
 * the quickest reservation round trips (as NTP does), so a slow answer does not shift the slots.
 *
 * Why no one-second window at the Cloud API holds more than the limit L. The interval is
 * I = 1/(L·h) with headroom h = 0.96, so any L+1 slots span at least L·I = 1000/h = 1041.7 ms.
 * Say each send reaches the Cloud API d after its slot, 0 ≤ d ≤ Dmax (never early: a slot is
 * placed on the local clock no earlier than the database's, see `reserve`). Take any L+1 arrivals
 * and s, the earliest of their slots: the latest arrives no earlier than the latest slot, at least
 * s + L·I, and the earliest no later than the send of slot s, at most s + Dmax. So they span at
 * least L·I − Dmax and fit in one 1000 ms window only if Dmax > L·I − 1000 = 1000/h − 1000 =
 * 41.7 ms, the slack (the same at any L). The path from slot to arrival gets those 41.7 ms:
 *
 *   - placement: up to 2·e late, e being the offset estimate's uncertainty (half the quickest
 *     round trip, aged by clock drift): 0.1 to 1 ms against a database on the same network;
 *   - lateness at the check, which the sender makes for each send just before handing it to the
 *     channel (which writes it in that same turn of the event loop): a send later than its
 *     tolerance there gives its slot up and takes a later one instead of going out in a burst.
 *     Tolerance = slack − STALL_BUDGET_MS − 2·e ≈ 26.7 − 2·e ms;
 *   - STALL_BUDGET_MS = 15 ms of jitter after that check: the rest of that turn (< 1 ms), a pause
 *     of the process there (a young-generation collection takes a few ms), and the network's
 *     variation in delay (a constant delay shifts every arrival alike and costs nothing).
 *
 * Measured on the shared 2-core test machine at load 3 to 8: checks trail their slots by p99 2 to
 * 17 ms (most on the embedded engine, whose queries run on this thread); from the check to the
 * stand-in's reading of the request, the part not due to the stand-in's own stalls is p99 under
 * 4 ms on a kept-alive connection (test/support/cloud-api-stand-in.ts sets those stalls apart).
 * A wider stall budget would leave a tolerance that a loaded machine overruns at every other claim.
 *
 * Throughput: one send every I, h = 96 % of L (959.7/s at L = 1000: I is rounded up to the
 * microsecond, 1042 µs), less each stall longer than the tolerance, which costs the slots it
 * covers. That leaves 6 % of the time for stalls before sustained sends fall under 90 % of L and
 * keeps 1000/s above 950/s; h = 0.95 would put that figure under 950/s before any stall, and
 * 0.97 (31 ms of slack) would leave room for a tolerance or a stall budget, not both.
 *
 * What this cannot bound: a request that waits for a new connection (checked when handed to the
 * channel, it leaves after the handshake: on loopback a few ms, measured up to tens of ms while the
 * process was busy, against Meta a TLS handshake), a process paused for longer than the stall
 * budget between the check and the write, and a network that holds one packet longer than that
 * and then delivers it with the next ones.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { PacerRepository } from '../../db/repositories/pacer.repository.js';
import type { Executor } from '../../db/transaction.js';

/** Sustained rate as a share of the limit. */
export const PACE_HEADROOM = 0.96;
/** How much longer one send may take than another, after its last lateness check, to reach the Cloud API (see above). */
export const STALL_BUDGET_MS = 15;
/** How fast an offset estimate is assumed to go stale (clock drift), in ms per ms. */
const driftPerMs = 1e-5;

export interface Reservation {
  /** Each slot's time on `performance.now()`'s clock. */
  readonly times: number[];
  /** How late past each slot a send may still go (checked right before it is written). */
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
  /** L·I − 1000: how much later than its slot the first of L+1 sends may arrive, all causes together. */
  readonly slackMs: number;
  private readonly intervalUs: number;
  private readonly slots: PacerRepository;
  private best: OffsetSample | undefined;

  constructor(db: Executor, ratePerSecond: number, channelId: string) {
    this.intervalUs = Math.ceil(1_000_000 / (ratePerSecond * PACE_HEADROOM));
    this.intervalMs = this.intervalUs / 1000;
    this.slackMs = ratePerSecond * this.intervalMs - 1000;
    this.slots = new PacerRepository(db, channelId);
  }

  /** The most a send may trail its slot at its last check: the slack less the stall budget. */
  private get maxLatenessMs(): number {
    return this.slackMs - STALL_BUDGET_MS;
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
      // Placed up to 2·e after the database's slot: that much less may be lost to lateness.
      toleranceMs: Math.max(1, this.maxLatenessMs - 2 * offset.errorMs),
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

  /**
   * Waits for one slot of its own (a read receipt counts against the limit like a send). Send at
   * once when it resolves, in the same turn: the lateness is checked on the way out, and a wait
   * that overran the tolerance (the process stalled) takes another slot instead of a burst.
   */
  async acquire(): Promise<void> {
    for (;;) {
      const { times, toleranceMs } = await this.reserve(1);
      const at = times[0] ?? performance.now();
      const wait = at - performance.now();
      if (wait > 0) await sleep(wait);
      if (performance.now() - at <= toleranceMs) return;
    }
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
