/**
 * The sender of one channel: a worker in every process that claims the channel's pending outbound messages (committing them as
 * in flight first), gives each a slot from the shared pacer, sends it at that slot, and settles
 * the outcome (send-outcomes.ts): `sent` with the wamid, a retry by error code, a failure, or a
 * pause of all sending. An unknown outcome is never resent; it waits for a status webhook or is
 * failed as `unknown_outcome` after the grace period. Claims live in claims.ts; accepted sends are
 * recorded in small batches (accepted-recorder.ts). This file keeps the loop and the slot queue.
 */
import { performance } from 'node:perf_hooks';
import type { Worker } from '../../worker.js';
import { OutboxRepository, type ClaimedMessage } from '../../db/repositories/outbox.repository.js';
import { SenderStateRepository } from '../../db/repositories/sender-state.repository.js';
import { transaction, type Executor } from '../../db/transaction.js';
import { recordEvents } from '../../events/record-event.js';
import { presentMessage } from '../../resources/message.resource.js';
import type { MessageStatusService } from '../inbound/message-status.service.js';
import type { Logger } from '../../shared/logger.js';
import { Wakeup } from '../../shared/wakeup.js';
import type { WhatsAppTransport } from '../transport.js';
import { AcceptedRecorder } from './accepted-recorder.js';
import { Claims } from './claims.js';
import { SendOutcomes } from './send-outcomes.js';
import { Pacer } from './pacer.js';
import { sendRequest, WireFormatError, type SendRequest } from './wire-format.js';

export interface SenderOptions {
  /** The channel whose messages this sender claims and sends. */
  readonly channelId: string;
  readonly ratePerSecond: number;
  readonly unknownOutcomeGraceSeconds: number;
  /** How often an idle sender looks for work queued by other processes. */
  readonly pollMs: number;
  /** The access token's fingerprint, stored with a pause so a new token lifts it. */
  readonly tokenFingerprint: string | null;
  /**
   * Decides which claimed messages may go now (the campaigns' daily messaging limit); those left
   * out must already be back in the queue, held.
   */
  readonly admit: (claimed: ClaimedMessage[]) => Promise<ClaimedMessage[]>;
  /** Finishes a request before it is slotted (template header media named by FlowChat id get Meta's id); a throw fails the message. */
  readonly prepareRequest?: (request: SendRequest) => Promise<SendRequest>;
}

interface Slotted {
  readonly at: number;
  /** How late past `at` it may still go. */
  readonly toleranceMs: number;
  readonly message: ClaimedMessage;
  readonly request: SendRequest;
}

type Unslotted = Omit<Slotted, 'at' | 'toleranceMs'>;

/**
 * Concurrent requests and batch size that keep the limit busy without queueing in the socket pool.
 * A batch is about 100 ms of sends: fewer claim and reservation round trips (each a transaction,
 * and on the embedded engine time the event loop cannot fire sends) than smaller ones.
 */
export function senderCapacity(ratePerSecond: number): { maxInFlight: number; batchSize: number } {
  return {
    maxInFlight: Math.max(16, Math.ceil(ratePerSecond * 0.5)),
    batchSize: Math.min(100, Math.max(1, Math.ceil(ratePerSecond * 0.1))),
  };
}

/** The most sends kept slotted ahead, in time: claimed messages wait at most this long in the process. */
const maxLeadMs = 500;
/** How fast a slow claim is forgotten when sizing the lead (half-life). */
const leadHalfLifeMs = 5_000;
/** Database work waits for a quiet moment (`quiet`) when a send is due within this. */
const quietHorizonMs = 100;

export class Sender implements Worker {
  readonly name = 'whatsapp-sender';
  private readonly wakeup = new Wakeup();
  private readonly pacer: Pacer;
  private readonly maxInFlight: number;
  private readonly batchSize: number;
  private readonly minLeadMs: number;
  /** The slowest recent claim-to-slotted cycle, decaying (see `lead`). */
  private slowCycle = { ms: 0, at: 0 };
  private queue: Slotted[] = [];
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly claims: Claims;
  private readonly recorder: AcceptedRecorder;
  private readonly outcomes: SendOutcomes;
  private stopping = true;
  private loop: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;
  /** Set while late messages get new slots; claims wait, so those stay ahead of newer ones. */
  private reslotting: Promise<void> | undefined;
  /** Waiting for the moment right after the next send (see `quiet`). */
  private quietWaiters: Array<() => void> = [];
  private dispatchTimer: NodeJS.Timeout | undefined;
  private reapTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Executor,
    private readonly transport: WhatsAppTransport,
    statuses: MessageStatusService,
    private readonly logger: Logger,
    private readonly options: SenderOptions,
  ) {
    this.pacer = new Pacer(db, options.ratePerSecond, options.channelId);
    ({ maxInFlight: this.maxInFlight, batchSize: this.batchSize } = senderCapacity(options.ratePerSecond));
    this.minLeadMs = Math.max(100, 2 * this.batchSize * this.pacer.intervalMs);
    this.claims = new Claims(db, options.channelId, logger);
    this.recorder = new AcceptedRecorder(db, statuses, logger, this.claims, () => this.quiet(), () => this.stopping);
    this.outcomes = new SendOutcomes(db, logger, new OutboxRepository(db), this.pacer, this.recorder, (message, code, reason) => this.pause(message, code, reason));
  }

  /** Looks for work now (call after committing new pending messages). */
  wake(): void {
    this.wakeup.wake();
  }

  start(): void {
    if (!this.stopping) return;
    this.stopping = false;
    this.stopped = undefined;
    this.loop = this.run();
    const reapEveryMs = Math.min(30_000, Math.max(500, (this.options.unknownOutcomeGraceSeconds * 1000) / 4));
    this.reapTimer = setInterval(() => void this.reap(), reapEveryMs);
    this.reapTimer.unref();
  }

  /** Stops claiming, puts back what was claimed but not sent, waits for sends under way and records them. */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wakeup.wake();
    await this.loop;
    await this.reslotting;
    clearTimeout(this.dispatchTimer);
    clearInterval(this.reapTimer);
    const unsent = this.queue.map((item) => item.message);
    this.queue = [];
    await this.claims.putBack(unsent);
    await Promise.all(this.inFlight.values());
    await this.recorder.drain();
  }

  private async run(): Promise<void> {
    await this.liftPauseOfOldToken();
    await this.pacer.calibrate().catch((error: unknown) => this.logger.warn({ err: error }, 'the pacer clock could not be calibrated'));
    while (!this.stopping) {
      try {
        await this.claims.releaseHeld();
        if (this.reslotting) await this.reslotting;
        const room = this.maxInFlight - this.queue.length - this.inFlight.size;
        const ahead = (this.queue.at(-1)?.at ?? 0) - performance.now();
        const lead = this.lead();
        if (room <= 0 || ahead > lead) {
          await this.wakeup.wait(room <= 0 ? 20 : ahead - lead);
          continue;
        }
        await this.quiet();
        const cycleStart = performance.now();
        const claimed = await this.claims.claim(Math.min(room, this.batchSize));
        if (claimed.length === 0) {
          await this.wakeup.wait(this.options.pollMs);
          continue;
        }
        for (const message of claimed) this.claims.inHand.add(message.id);
        try {
          await this.slot(await this.prepare(await this.options.admit(claimed)));
          this.noteCycle(performance.now() - cycleStart);
        } catch (error) {
          // Claimed but certainly not sent: back in the queue rather than left as an unknown outcome.
          await this.claims.putBack(claimed);
          throw error;
        } finally {
          for (const message of claimed) this.claims.inHand.delete(message.id);
        }
      } catch (error) {
        this.logger.error({ err: error }, 'the sender could not claim messages');
        await this.wakeup.wait(1_000);
      }
    }
  }

  /**
   * How far ahead the queue is kept: two batches, or twice the slowest recent claim (decaying over
   * seconds), so a slow claim under load does not leave the slots with nothing to send; capped.
   */
  private lead(): number {
    return Math.min(maxLeadMs, Math.max(this.minLeadMs, 2 * this.slowestRecentCycle(performance.now())));
  }

  private noteCycle(ms: number): void {
    const now = performance.now();
    if (ms >= this.slowestRecentCycle(now)) this.slowCycle = { ms, at: now };
  }

  /** The slowest recent cycle, halved every `leadHalfLifeMs` since it happened. */
  private slowestRecentCycle(now: number): number {
    return this.slowCycle.ms * 0.5 ** ((now - this.slowCycle.at) / leadHalfLifeMs);
  }

  /**
   * Resolves when the sender's own database work can start without holding a send past its slot:
   * at once when none is due soon, else right after the next one goes out. On the embedded engine
   * a transaction runs on this thread and nothing fires until it is done; started just after a
   * send, it has a whole interval (plus the tolerance) before the next one is late. Waiters go
   * one per send.
   */
  private quiet(): Promise<void> {
    const next = this.queue[0];
    const wait = next ? next.at - performance.now() : Infinity;
    if (this.stopping || wait > quietHorizonMs) return Promise.resolve();
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        this.quietWaiters = this.quietWaiters.filter((waiter) => waiter !== release);
        resolve();
      };
      // Also when no send comes (the queue was put back, the process stops).
      const timer = setTimeout(release, Math.max(0, wait) + quietHorizonMs);
      this.quietWaiters.push(release);
    });
  }

  /** A new access token lifts a pause that the old one caused. */
  private async liftPauseOfOldToken(): Promise<void> {
    if (this.options.tokenFingerprint === null) return;
    try {
      if (await new SenderStateRepository(this.db, this.options.channelId).resume(this.options.tokenFingerprint)) this.logger.info('a new access token is configured; sending resumes');
    } catch (error) {
      this.logger.warn({ err: error }, 'the sender pause could not be checked');
    }
  }

  /** Builds each request; messages that cannot go out at all fail here, without using a slot. */
  private async prepare(claimed: readonly ClaimedMessage[]): Promise<Unslotted[]> {
    const ready: Unslotted[] = [];
    for (const message of claimed) {
      if (message.contact_opted_out_at !== null) {
        await this.outcomes.fail(message, { code: 'opted_out', message: 'The contact opted out before the message was sent' });
        continue;
      }
      if (message.to_phone === null) {
        await this.outcomes.fail(message, { code: 'no_phone', message: 'The contact has no phone number to send to' });
        continue;
      }
      let request: SendRequest;
      try {
        request = sendRequest(message, message.to_phone);
      } catch (error) {
        if (!(error instanceof WireFormatError)) throw error;
        await this.outcomes.fail(message, { code: 'invalid_message', message: error.message });
        continue;
      }
      try {
        ready.push({ message, request: this.options.prepareRequest ? await this.options.prepareRequest(request) : request });
      } catch (error) {
        await this.outcomes.fail(message, { code: 'media_unavailable', message: error instanceof Error ? error.message : String(error) });
      }
    }
    return ready;
  }

  /**
   * Reserves slots for `ready` and merges them into the queue. The slots this process holds are
   * interchangeable, so conversation replies take the earliest of them ahead of campaign messages
   * (the order the claim uses), and each kind keeps its order: a reply claimed while campaign
   * messages are slotted ahead of it still goes first.
   */
  private async slot(ready: readonly Unslotted[]): Promise<void> {
    if (ready.length === 0) return;
    const { times, toleranceMs } = await this.pacer.reserve(ready.length);
    const slots = [...this.queue, ...times.map((at) => ({ at, toleranceMs }))].sort((a, b) => a.at - b.at);
    const messages = [...this.queue, ...ready].sort((a, b) => Number(a.message.campaign_id !== null) - Number(b.message.campaign_id !== null));
    this.queue = messages.map((item, index) => ({ message: item.message, request: item.request, at: slots[index]?.at ?? performance.now(), toleranceMs: slots[index]?.toleranceMs ?? toleranceMs }));
    this.scheduleDispatch();
  }

  private scheduleDispatch(): void {
    clearTimeout(this.dispatchTimer);
    const next = this.queue[0];
    if (!next || this.stopping) return;
    this.dispatchTimer = setTimeout(() => this.dispatch(), Math.max(0, next.at - performance.now()));
  }

  /**
   * Sends every message whose slot has come, checking each one's lateness just before handing it
   * to the channel, which writes it in this same turn of the event loop (on a kept-alive
   * connection; a new one is written once connected, see `quiet`). Messages too late for
   * their slot (the process stalled) are not sent in a burst: their slots are given up, every
   * queued message moves up to the next slot still ahead, in the same order, and the last ones get
   * new slots.
   */
  private dispatch(): void {
    for (;;) {
      const head = this.queue[0];
      const now = performance.now();
      if (!head || head.at > now) break;
      if (now - head.at > head.toleranceMs) {
        this.giveUpLateSlots(now);
        continue;
      }
      this.queue.shift();
      this.fire(head);
    }
    // One at a time: the claim and the flush, let go together, would take two intervals' work.
    // After the next poll, so a request that waits for a new connection is written first.
    const release = this.quietWaiters.shift();
    if (release) setImmediate(release);
    this.scheduleDispatch();
  }

  /** The late head and every queued message as late: see `dispatch`. */
  private giveUpLateSlots(now: number): void {
    let late = 0;
    while (late < this.queue.length && now - (this.queue[late]?.at ?? now) > (this.queue[late]?.toleranceMs ?? 0)) late += 1;
    const items = this.queue;
    const slots = items.slice(late);
    this.queue = slots.map((slot, index) => ({ ...(items[index] as Slotted), at: slot.at, toleranceMs: slot.toleranceMs }));
    this.reslot(items.slice(items.length - late));
  }

  private reslot(late: Slotted[]): void {
    for (const item of late) this.claims.inHand.add(item.message.id);
    const slotted = this.slot(late)
      .catch(async (error: unknown) => {
        this.logger.error({ err: error }, 'late messages could not be re-slotted; released');
        await this.claims.putBack(late.map((item) => item.message));
      })
      .finally(() => {
        for (const item of late) this.claims.inHand.delete(item.message.id);
      });
    const all: Promise<void> = Promise.all([this.reslotting, slotted]).then(() => {
      if (this.reslotting === all) this.reslotting = undefined;
    });
    this.reslotting = all;
  }

  private fire(item: Slotted): void {
    const { message } = item;
    const done = this.transport
      .send(item.request)
      .then((result) => this.outcomes.settle(message, result))
      .catch((error: unknown) => this.logger.error({ err: error, messageId: message.id }, 'a send outcome could not be recorded'))
      .finally(() => {
        this.inFlight.delete(message.id);
        this.wakeup.wake();
      });
    this.inFlight.set(message.id, done);
  }

  /** Stops the channel's sending (every process reads the pause) and puts this and every slotted message back. */
  private async pause(message: ClaimedMessage, code: string | null, reason: string): Promise<void> {
    this.logger.error({ code, reason }, 'WhatsApp refused the account or token; the sender is paused and messages stay pending');
    await new SenderStateRepository(this.db, this.options.channelId).pause(code, reason, this.options.tokenFingerprint);
    const queued = this.queue.map((item) => item.message);
    this.queue = [];
    clearTimeout(this.dispatchTimer);
    await this.claims.putBack([message, ...queued]);
  }

  private async reap(): Promise<void> {
    try {
      await transaction(this.db, async (trx) => {
        // Accepted sends not yet recorded are settled already: reaping them would fail a delivered message.
        const awaited = [...this.inFlight.keys(), ...this.queue.map((item) => item.message.id), ...this.recorder.ids(), ...this.claims.held()];
        const reaped = await new OutboxRepository(trx).reapUnknownOutcomes(this.options.unknownOutcomeGraceSeconds, awaited, this.options.channelId);
        await recordEvents(trx, 'message.updated', reaped.map((message) => ({ ...presentMessage(message) })));
        if (reaped.length > 0) this.logger.warn({ count: reaped.length }, 'sends with an unknown outcome failed after the grace period');
      });
    } catch (error) {
      this.logger.error({ err: error }, 'unknown outcomes could not be checked');
    }
  }
}
