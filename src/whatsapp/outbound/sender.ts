/**
 * The sender of one channel: a worker in every process that claims the channel's pending outbound messages (committing them as
 * in flight first), gives each a slot from the shared pacer, sends it at that slot, and settles
 * the outcome: `sent` with the wamid, a retry by error code, a failure, or a pause of all sending.
 * An unknown outcome is never resent; it waits for a status webhook or is failed as
 * `unknown_outcome` after the grace period. Accepted sends are recorded in small batches.
 */
import { performance } from 'node:perf_hooks';
import type { Worker } from '../../worker.js';
import { OutboxRepository, type AcceptedSend, type ClaimedMessage, type ClaimRef, type OutboxError } from '../../db/repositories/outbox.repository.js';
import { SenderStateRepository } from '../../db/repositories/sender-state.repository.js';
import type { Message } from '../../db/schema.js';
import { transaction, type Executor } from '../../db/transaction.js';
import { recordEvent, recordEvents } from '../../events/record-event.js';
import { presentMessage } from '../../resources/message.resource.js';
import type { MessageStatusService } from '../inbound/message-status.service.js';
import { optOutContact } from '../../services/opt-out.service.js';
import type { Logger } from '../../shared/logger.js';
import { Wakeup } from '../../shared/wakeup.js';
import { pauseCampaignForTemplate } from '../../templates/template-campaign-pause.js';
import type { SendResult, WhatsAppTransport } from '../transport.js';
import { backoffDelayMs, classifyErrorCode, pairLimitDelayMs, transientFailure, type BackoffAction } from './error-classification.js';
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

interface Accepted extends AcceptedSend {
  readonly contactId: string;
  readonly waId: string | undefined;
}

const flushDelayMs = 100;
const flushBatch = 500;

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
  private readonly outbox: OutboxRepository;
  private readonly maxInFlight: number;
  private readonly batchSize: number;
  private readonly minLeadMs: number;
  /** The slowest recent claim-to-slotted cycle, decaying (see `lead`). */
  private slowCycle = { ms: 0, at: 0 };
  private queue: Slotted[] = [];
  private readonly inFlight = new Map<string, Promise<void>>();
  private accepted: Accepted[] = [];
  /** Claimed messages on their way between the lists above (being admitted, slotted or recorded). */
  private readonly inHand = new Set<string>();
  /** Claimed messages certainly not sent that could not be put back yet (the database was down). */
  private readonly toRelease = new Map<string, ClaimRef>();
  private stopping = true;
  private loop: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;
  /** Set while late messages get new slots; claims wait, so those stay ahead of newer ones. */
  private reslotting: Promise<void> | undefined;
  private flushing: Promise<void> | undefined;
  /** Waiting for the moment right after the next send (see `quiet`). */
  private quietWaiters: Array<() => void> = [];
  private dispatchTimer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private reapTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Executor,
    private readonly transport: WhatsAppTransport,
    private readonly statuses: MessageStatusService,
    private readonly logger: Logger,
    private readonly options: SenderOptions,
  ) {
    this.pacer = new Pacer(db, options.ratePerSecond, options.channelId);
    this.outbox = new OutboxRepository(db);
    ({ maxInFlight: this.maxInFlight, batchSize: this.batchSize } = senderCapacity(options.ratePerSecond));
    this.minLeadMs = Math.max(100, 2 * this.batchSize * this.pacer.intervalMs);
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
    await this.putBack(unsent);
    await Promise.all(this.inFlight.values());
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flush();
  }

  private async run(): Promise<void> {
    await this.liftPauseOfOldToken();
    await this.pacer.calibrate().catch((error: unknown) => this.logger.warn({ err: error }, 'the pacer clock could not be calibrated'));
    while (!this.stopping) {
      try {
        await this.releaseHeld();
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
        const claimed = await this.claim(Math.min(room, this.batchSize));
        if (claimed.length === 0) {
          await this.wakeup.wait(this.options.pollMs);
          continue;
        }
        for (const message of claimed) this.inHand.add(message.id);
        try {
          await this.slot(await this.prepare(await this.options.admit(claimed)));
          this.noteCycle(performance.now() - cycleStart);
        } catch (error) {
          // Claimed but certainly not sent: back in the queue rather than left as an unknown outcome.
          await this.putBack(claimed);
          throw error;
        } finally {
          for (const message of claimed) this.inHand.delete(message.id);
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
        await this.fail(message, { code: 'opted_out', message: 'The contact opted out before the message was sent' });
        continue;
      }
      if (message.to_phone === null) {
        await this.fail(message, { code: 'no_phone', message: 'The contact has no phone number to send to' });
        continue;
      }
      let request: SendRequest;
      try {
        request = sendRequest(message, message.to_phone);
      } catch (error) {
        if (!(error instanceof WireFormatError)) throw error;
        await this.fail(message, { code: 'invalid_message', message: error.message });
        continue;
      }
      try {
        ready.push({ message, request: this.options.prepareRequest ? await this.options.prepareRequest(request) : request });
      } catch (error) {
        await this.fail(message, { code: 'media_unavailable', message: error instanceof Error ? error.message : String(error) });
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
    for (const item of late) this.inHand.add(item.message.id);
    const slotted = this.slot(late)
      .catch(async (error: unknown) => {
        this.logger.error({ err: error }, 'late messages could not be re-slotted; released');
        await this.putBack(late.map((item) => item.message));
      })
      .finally(() => {
        for (const item of late) this.inHand.delete(item.message.id);
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
      .then((result) => this.settle(message, result))
      .catch((error: unknown) => this.logger.error({ err: error, messageId: message.id }, 'a send outcome could not be recorded'))
      .finally(() => {
        this.inFlight.delete(message.id);
        this.wakeup.wake();
      });
    this.inFlight.set(message.id, done);
  }

  private async settle(message: ClaimedMessage, result: SendResult): Promise<void> {
    switch (result.kind) {
      case 'accepted':
        // A wa_id is stored once per contact; most sends go to contacts that already have one.
        this.accepted.push({ id: message.id, wamid: result.wamid, at: new Date(), contactId: message.contact_id, waId: message.contact_wa_id === null ? result.waId : undefined });
        this.scheduleFlush();
        return;
      case 'unknown':
        this.logger.warn({ messageId: message.id, reason: result.reason }, 'send outcome unknown; waiting for a status webhook, not resending');
        await this.outbox.noteUnknownOutcome(message.id, result.reason);
        return;
      case 'transient':
        await this.retry(message, transientFailure, undefined, result.reason);
        return;
      case 'misconfigured':
        await this.pause(message, null, result.reason);
        return;
      case 'rejected':
        await this.rejected(message, result);
    }
  }

  private async rejected(message: ClaimedMessage, result: Extract<SendResult, { kind: 'rejected' }>): Promise<void> {
    const action = classifyErrorCode(result.code);
    const text = result.details ?? result.message;
    const code = String(result.code);
    switch (action.kind) {
      case 'backoff':
        if (action.slowsSender) await this.pacer.holdOff(1_000).catch(() => undefined);
        await this.retry(message, action, code, `${code}: ${text}`);
        return;
      case 'later': {
        if (message.send_attempts >= action.maxAttempts) {
          await this.fail(message, { code, title: result.message, message: text });
          return;
        }
        const notBefore = new Date(Date.now() + pairLimitDelayMs(message.send_attempts));
        await this.outbox.deferContact(message.contact_id, notBefore);
        await this.outbox.retryLater(message.id, notBefore, `${code}: ${text}`);
        return;
      }
      case 'fail':
        if (!classifiedCodes.has(result.code)) this.logger.warn({ code, fbtraceId: result.fbtraceId, messageId: message.id }, 'unrecognised WhatsApp error code; the message fails');
        await this.fail(message, { code, title: result.message, message: text }, action.optOut);
        if (templateStopCodes.has(result.code) && message.campaign_id) await this.pauseCampaign(message.campaign_id);
        return;
      case 'pause':
        await this.pause(message, code, `${result.message}${result.details ? ` (${result.details})` : ''}`);
    }
  }

  private async retry(message: ClaimedMessage, action: BackoffAction, code: string | undefined, error: string): Promise<void> {
    if (message.send_attempts >= action.maxAttempts) {
      await this.fail(message, { code: code ?? 'send_failed', message: `Gave up after ${message.send_attempts} attempts: ${error}` });
      return;
    }
    const notBefore = new Date(Date.now() + backoffDelayMs(action, message.send_attempts));
    await this.outbox.retryLater(message.id, notBefore, error);
  }

  /** Stops the channel's sending (every process reads the pause) and puts this and every slotted message back. */
  private async pause(message: ClaimedMessage, code: string | null, reason: string): Promise<void> {
    this.logger.error({ code, reason }, 'WhatsApp refused the account or token; the sender is paused and messages stay pending');
    await new SenderStateRepository(this.db, this.options.channelId).pause(code, reason, this.options.tokenFingerprint);
    const queued = this.queue.map((item) => item.message);
    this.queue = [];
    clearTimeout(this.dispatchTimer);
    await this.putBack([message, ...queued]);
  }

  private async fail(message: Message, error: OutboxError, optOut = false): Promise<void> {
    await transaction(this.db, async (trx) => {
      const failed = await new OutboxRepository(trx).fail(message.id, error);
      if (!failed) return;
      await recordEvent(trx, 'message.updated', { ...presentMessage(failed) });
      if (optOut) await optOutContact(trx, failed.contact_id, 'whatsapp', new Date(), `WhatsApp error ${error.code}`);
    });
  }

  /** The campaign's template is paused or disabled: the campaign pauses too, keeping its queued messages. */
  private async pauseCampaign(campaignId: string): Promise<void> {
    try {
      const paused = await transaction(this.db, (trx) => pauseCampaignForTemplate(trx, campaignId));
      if (paused) this.logger.warn({ campaignId }, 'the campaign’s template is paused or disabled; the campaign is paused');
    } catch (error) {
      this.logger.error({ err: error, campaignId }, 'the campaign of a paused template could not be paused');
    }
  }

  private scheduleFlush(): void {
    if (this.accepted.length >= flushBatch) void this.flush();
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, flushDelayMs);
  }

  /** One flush at a time; it drains everything accepted meanwhile. */
  private flush(): Promise<void> {
    this.flushing ??= this.flushAll().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Records accepted sends, a transaction per batch; on a database error they wait for the next try. */
  private async flushAll(): Promise<void> {
    await this.quiet();
    while (this.accepted.length > 0) {
      const batch = this.accepted.splice(0, flushBatch);
      for (const send of batch) this.inHand.add(send.id);
      try {
        await transaction(this.db, async (trx) => {
          const outbox = new OutboxRepository(trx);
          const rows = await outbox.markAccepted(batch);
          await outbox.rememberWaIds(batch.flatMap((send) => (send.waId ? [{ contactId: send.contactId, waId: send.waId }] : [])));
          await recordEvents(trx, 'message.updated', rows.map((row) => ({ ...presentMessage(row) })));
          await this.statuses.applyParked(trx, rows);
        });
      } catch (error) {
        this.logger.error({ err: error, count: batch.length }, 'accepted sends could not be recorded yet; retrying');
        this.accepted.unshift(...batch);
        if (!this.stopping) {
          clearTimeout(this.flushTimer);
          this.flushTimer = setTimeout(() => {
            this.flushTimer = undefined;
            void this.flush();
          }, 1_000);
        }
        return;
      } finally {
        for (const send of batch) this.inHand.delete(send.id);
      }
    }
  }

  /**
   * Claims in a transaction of its own, keeping what the claim returned: when the commit goes
   * unanswered (the connection died), it may or may not have taken effect, so those messages are
   * put back (by their claim's stamp) once the database answers again, instead of being stranded
   * as in flight until the grace period fails them unsent.
   */
  private async claim(limit: number): Promise<ClaimedMessage[]> {
    let claimed: ClaimedMessage[] = [];
    try {
      await transaction(this.db, async (trx) => {
        claimed = await new OutboxRepository(trx).claim(limit, this.options.channelId);
      });
      return claimed;
    } catch (error) {
      for (const message of claimed) this.toRelease.set(message.id, message);
      throw error;
    }
  }

  /** Puts claimed, unsent messages back in the queue; while the database is down the loop keeps trying. */
  private async putBack(claims: readonly ClaimRef[]): Promise<void> {
    for (const claim of claims) this.toRelease.set(claim.id, claim);
    await this.releaseHeld();
  }

  private async releaseHeld(): Promise<void> {
    if (this.toRelease.size === 0) return;
    // Taken out first, so two callers never release one message at once.
    const claims = [...this.toRelease.values()];
    this.toRelease.clear();
    for (const claim of claims) this.inHand.add(claim.id);
    try {
      await this.outbox.release(claims);
    } catch (error) {
      for (const claim of claims) this.toRelease.set(claim.id, claim);
      this.logger.warn({ err: error, count: claims.length }, 'claimed messages could not be put back in the queue yet; retrying');
    } finally {
      for (const claim of claims) this.inHand.delete(claim.id);
    }
  }

  private async reap(): Promise<void> {
    try {
      await transaction(this.db, async (trx) => {
        // Accepted sends not yet recorded are settled already: reaping them would fail a delivered message.
        const awaited = [...this.inFlight.keys(), ...this.queue.map((item) => item.message.id), ...this.accepted.map((send) => send.id), ...this.inHand, ...this.toRelease.keys()];
        const reaped = await new OutboxRepository(trx).reapUnknownOutcomes(this.options.unknownOutcomeGraceSeconds, awaited, this.options.channelId);
        await recordEvents(trx, 'message.updated', reaped.map((message) => ({ ...presentMessage(message) })));
        if (reaped.length > 0) this.logger.warn({ count: reaped.length }, 'sends with an unknown outcome failed after the grace period');
      });
    } catch (error) {
      this.logger.error({ err: error }, 'unknown outcomes could not be checked');
    }
  }
}

/** The template is paused (132015) or disabled (132016): its campaigns pause. */
const templateStopCodes = new Set([132015, 132016]);

/** Codes the classification names; anything else fails and is logged as unrecognised. */
const classifiedCodes = new Set([
  131026, 131047, 131049, 131050, 130403, 130472, 131021, 100, 131008, 131009, 135000, 131051, 131053,
  132000, 132001, 132005, 132007, 132012, 132015, 132016,
]);
