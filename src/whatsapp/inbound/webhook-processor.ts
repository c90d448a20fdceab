/**
 * The worker that processes stored webhooks: every entry, every change, every message and status of
 * a batch (items: payload-items.ts; applying them: batch-apply.ts). It
 * claims up to `batchSize` stored events at once (locked with SKIP LOCKED, so every process can
 * help), applies them in one transaction in the order they were stored, and marks them processed
 * in one statement.
 *
 * Most items of a batch are applied together, a few statements for the lot: runs of plain inbound
 * messages and statuses (see `InboundMessageService.receivePlain` and
 * `MessageStatusService.applyPlain`) in which no wamid comes twice: a contact's messages (a new
 * contact's too, under the very same identity) and a message's statuses are applied one after
 * another in rounds of the run. A run ends before an item that must see what the run writes (the
 * same customer under another identity, a duplicate), so the next run reads it. Items only the
 * one-at-a-time services handle are applied by them: reactions and keywords inside a run, at their
 * place among their customer's messages; failures that opt the contact out or pause the channel,
 * matches by callback data and preferences alone between the runs. The outcome, rows and events
 * alike, is what applying the items one after another gives. A run reads (and locks) its contacts
 * and messages in id order, so processors working at once wait for each other, never deadlock.
 *
 * Should anything in a batch fail, all of it is rolled back and its events are processed again one
 * by one, each in a transaction of its own as before batches: an event that fails (a poison one, a
 * race lost to another process) rolls back alone and stays stored for a retry with growing waits,
 * and the others commit. (Savepoints per event inside the batch's transaction would keep every
 * earlier event's row locks until the batch commits, and two processors doing that deadlock.)
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebhookEventRepository, type InboxEvent } from '../../db/repositories/webhook-event.repository.js';
import type { JsonObject } from '../../db/schema.js';
import { transaction, type Executor } from '../../db/transaction.js';
import type { Worker } from '../../worker.js';
import type { InboundMessageService } from './inbound-message.service.js';
import type { MessageStatusService } from './message-status.service.js';
import type { TemplateStatusUpdate } from '../../templates/template-catalogue.js';
import type { Logger } from '../../shared/logger.js';
import { Wakeup } from '../../shared/wakeup.js';
import { BatchApply, type ReceivedHook } from './batch-apply.js';
import { itemsOf, parseBody } from './payload-items.js';
import { asObject, objectAt, objectsAt, stringAt } from './webhook-payload.js';

/** Which channel a change belongs to, by its `metadata.phone_number_id` (src/channels/channel-directory.ts). */
export interface ChannelRouter {
  /** The channel's id; undefined when no channel serves the number (the change is skipped). */
  route(phoneNumberId: string | undefined): string | undefined;
  /** Reloads the channels through `db` unless they were loaded a moment ago; returns whether it did. */
  refreshIfStale(db: Executor): Promise<boolean>;
}

export interface WebhookProcessorOptions {
  /** Routes each change to its channel; changes for numbers no channel serves are acknowledged and skipped. */
  readonly channels: ChannelRouter;
  /** Batches processed at once by this process. */
  readonly concurrency: number;
  /** How often to look for events stored by other processes or due for a retry. */
  readonly pollMs: number;
  /**
   * Set on the embedded engine, whose single session serves both: while webhooks are arriving,
   * processing waits (at most `maxYieldMs` at a time), so acknowledgements never queue behind it.
   */
  readonly yieldWhile?: () => boolean;
  /**
   * Most stored events processed in one transaction. Default: 250; 20 with `yieldWhile`, as the
   * embedded engine's one session serves no acknowledgement while a batch holds it. A batch has a
   * cost of its own (a dozen statements, a commit) whatever its size: under a sustained burst,
   * batches of 250 took about a third less CPU per webhook than batches of 100 (server and
   * database alike), and larger ones little less again, while holding their rows twice as long.
   */
  readonly batchSize?: number;
  /** Applies a `message_template_status_update` change (the template catalogue's). */
  readonly templateStatus?: (trx: Executor, update: TemplateStatusUpdate) => Promise<void>;
}

const maxYieldMs = 500;

const maxRetryWaitMs = 3_600_000;

/** Bodies of one batch held at once, at most (a batch always takes at least one event). */
const maxBatchBytes = 4 * 1024 * 1024;

/**
 * After a batch that was not full, the wait before the next claim: about as long as processing
 * a full batch takes, so a steady stream of webhooks is processed in batches of many.
 */
const gatherMs = 50;

interface Failure {
  readonly event: Omit<InboxEvent, 'body'>;
  readonly error: unknown;
}

export class WebhookProcessor implements Worker {
  readonly name = 'whatsapp-webhook-processor';
  private readonly wakeup = new Wakeup();
  private readonly batchSize: number;
  private lanes: Promise<void>[] = [];
  private stopping = false;
  private readonly apply: BatchApply;

  constructor(
    private readonly db: Executor,
    private readonly logger: Logger,
    inbound: InboundMessageService,
    statuses: MessageStatusService,
    private readonly options: WebhookProcessorOptions,
  ) {
    this.batchSize = Math.max(1, options.batchSize ?? (options.yieldWhile ? 20 : 250));
    this.apply = new BatchApply(inbound, statuses, options.templateStatus);
  }

  wake(): void {
    this.wakeup.wake();
  }

  /** Sets what runs on every stored inbound message (the automations). */
  onReceived(hook: ReceivedHook): void {
    this.apply.onReceived(hook);
  }

  start(): void {
    this.stopping = false;
    this.lanes = Array.from({ length: this.options.concurrency }, () => this.run());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeup.wake();
    await Promise.all(this.lanes);
    this.lanes = [];
  }

  /** Processes due events until none is left; returns how many this processor processed. */
  async drain(): Promise<number> {
    let processed = 0;
    for (;;) {
      const batch = await this.processBatch();
      if (batch.claimed === 0) return processed;
      processed += batch.processed;
    }
  }

  /** Processes one parsed webhook body inside `trx`, one item after another. */
  async processPayload(trx: Executor, payload: JsonObject): Promise<void> {
    await this.learnNumbers(trx, [payload]);
    for (const item of itemsOf(payload, (value) => this.channelOf(value))) await this.apply.applyOne(trx, item);
  }

  /**
   * A number no channel serves may belong to a channel another process added a moment ago: the
   * channels are reloaded (at most once a second) before its changes are skipped for good.
   */
  private async learnNumbers(trx: Executor, payloads: ReadonlyArray<JsonObject | undefined>): Promise<void> {
    for (const payload of payloads) {
      for (const entry of objectsAt(payload, 'entry')) {
        for (const change of objectsAt(entry, 'changes')) {
          if (this.channelOf(objectAt(change, 'value')) === undefined) {
            await this.options.channels.refreshIfStale(trx);
            return;
          }
        }
      }
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let handled = 0;
      await this.yieldToIngest();
      try {
        handled = (await this.processBatch()).claimed;
      } catch (error) {
        this.logger.error({ err: error }, 'webhook processing could not reach the database');
      }
      if (this.stopping) break;
      if (handled === 0) await this.wakeup.wait(this.options.pollMs);
      // Webhooks are arriving but fewer than a batch: let more gather, so a steady stream is
      // processed in batches rather than one by one (a lone webhook is still processed at once).
      else if (handled < this.batchSize) await sleep(gatherMs);
    }
  }

  /**
   * Processes the stored event `id` now, in the caller's time (the sandbox answers with what it
   * stored); waits for a worker that holds it, and does nothing once it is processed.
   */
  async processStored(id: number): Promise<void> {
    const { failures } = await this.processClaimed(async (repository) => {
      const event = await repository.lockUnprocessed(id);
      return event ? [event] : [];
    });
    if (failures[0]) throw failures[0].error;
  }

  private async yieldToIngest(): Promise<void> {
    const since = performance.now();
    while (!this.stopping && this.options.yieldWhile?.() && performance.now() - since < maxYieldMs) await sleep(5);
  }

  /** Claims and processes one batch of due events; returns how many it claimed and how many it processed. */
  private async processBatch(): Promise<{ claimed: number; processed: number }> {
    let claimed = 0;
    const { processed } = await this.processClaimed(async (repository) => {
      const events = await repository.claimBatch(this.batchSize, maxBatchBytes);
      claimed = events.length;
      return events;
    });
    return { claimed, processed };
  }

  /**
   * Locks events with `lock` and processes them in one transaction; returns how many it processed
   * and those that failed (each recorded for a retry). Throws only when the database cannot be reached.
   */
  private async processClaimed(lock: (repository: WebhookEventRepository) => Promise<InboxEvent[]>): Promise<{ processed: number; failures: Failure[] }> {
    let claimed: Array<Omit<InboxEvent, 'body'>> = [];
    try {
      await transaction(this.db, async (trx) => {
        const repository = new WebhookEventRepository(trx);
        const events = (await lock(repository)).sort((a, b) => a.id - b.id);
        claimed = events.map(({ id, attempts }) => ({ id, attempts }));
        if (events.length === 0) return;
        // The bodies are let go once parsed; a retry below reads each one again.
        const payloads = events.splice(0).map((event) => asObject(parseBody(event.body)));
        await this.learnNumbers(trx, payloads);
        await this.apply.applyItems(trx, payloads.flatMap((payload) => itemsOf(payload, (value) => this.channelOf(value))));
        await repository.markProcessed(claimed.map((event) => event.id));
      });
      return { processed: claimed.length, failures: [] };
    } catch (error) {
      if (claimed.length === 0) throw error;
      // Nothing of the batch stays: each event again in a transaction of its own, so one that
      // fails (a poison event, a race lost to another process) fails alone and the rest commit.
      this.logger.warn({ err: error, events: claimed.length }, 'a batch of webhooks failed; processing its events one at a time');
    }
    let processed = 0;
    const failures: Failure[] = [];
    for (const event of claimed) {
      const outcome = await this.processAlone(event);
      if (outcome === 'processed') processed += 1;
      else if (outcome !== 'gone') {
        this.logger.error({ err: outcome.error, eventId: event.id, attempts: event.attempts + 1, retryInMs: retryWaitMs(event) }, 'webhook processing failed; it will be retried');
        failures.push(outcome);
      }
    }
    return { processed, failures };
  }

  /**
   * Processes one event in a transaction of its own, one item after another, as before batches;
   * a failure is recorded for a retry with a growing wait and returned. `gone` when another
   * process has processed it meanwhile.
   */
  private async processAlone(event: Omit<InboxEvent, 'body'>): Promise<'processed' | 'gone' | Failure> {
    try {
      return await transaction(this.db, async (trx) => {
        const repository = new WebhookEventRepository(trx);
        const locked = await repository.lockUnprocessed(event.id);
        if (!locked) return 'gone';
        await this.processPayload(trx, asObject(parseBody(locked.body)) ?? {});
        await repository.markProcessed([locked.id]);
        return 'processed';
      });
    } catch (error) {
      await new WebhookEventRepository(this.db).recordFailure(event.id, errorText(error), retryWaitMs(event));
      return { event, error };
    }
  }

  private channelOf(value: JsonObject | undefined): string | undefined {
    return this.options.channels.route(stringAt(objectAt(value, 'metadata'), 'phone_number_id'));
  }
}

function retryWaitMs(event: Omit<InboxEvent, 'body'>): number {
  return Math.min(maxRetryWaitMs, 1_000 * 2 ** event.attempts);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
