/**
 * Processes stored webhooks: every entry, every change, every message and status of a batch, one
 * stored event per transaction (locked with SKIP LOCKED, so every process can help). A failure
 * rolls the event's work back and leaves it stored for a retry with growing waits; nothing is lost.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebhookEventRepository, type InboxEvent } from '../db/repositories/webhook-event.repository.js';
import { WhatsAppContactRepository } from '../db/repositories/whatsapp-contact.repository.js';
import type { JsonObject } from '../db/schema.js';
import { transaction, type Executor } from '../db/transaction.js';
import type { Worker } from '../context.js';
import type { InboundMessageService } from '../services/inbound-message.service.js';
import type { MessageStatusService } from '../services/message-status.service.js';
import { optInContact, optOutContact } from '../services/opt-out.service.js';
import type { Logger } from '../shared/logger.js';
import { Wakeup } from '../shared/wakeup.js';
import { asObject, objectAt, objectsAt, stringAt, timestampAt } from './webhook-payload.js';

export interface WebhookProcessorOptions {
  /** Changes for other numbers are acknowledged and skipped; unset (sandbox): every number. */
  readonly phoneNumberId: string | undefined;
  /** Events processed at once by this process. */
  readonly concurrency: number;
  /** How often to look for events stored by other processes or due for a retry. */
  readonly pollMs: number;
  /**
   * Set on the embedded engine, whose single session serves both: while webhooks are arriving,
   * processing waits (at most `maxYieldMs` at a time), so acknowledgements never queue behind it.
   */
  readonly yieldWhile?: () => boolean;
}

const maxYieldMs = 500;

const maxRetryWaitMs = 3_600_000;

export class WebhookProcessor implements Worker {
  readonly name = 'whatsapp-webhook-processor';
  private readonly wakeup = new Wakeup();
  private lanes: Promise<void>[] = [];
  private stopping = false;

  constructor(
    private readonly db: Executor,
    private readonly logger: Logger,
    private readonly inbound: InboundMessageService,
    private readonly statuses: MessageStatusService,
    private readonly options: WebhookProcessorOptions,
  ) {}

  wake(): void {
    this.wakeup.wake();
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

  /** Processes due events until none is left; returns how many were handled. */
  async drain(): Promise<number> {
    let handled = 0;
    while (await this.processOne()) handled += 1;
    return handled;
  }

  /** Processes one parsed webhook body inside `trx`. */
  async processPayload(trx: Executor, payload: JsonObject): Promise<void> {
    for (const entry of objectsAt(payload, 'entry')) {
      for (const change of objectsAt(entry, 'changes')) {
        const value = objectAt(change, 'value');
        if (!value || !this.servesNumber(value)) continue;
        const field = stringAt(change, 'field');
        if (field === 'messages') await this.messagesChange(trx, value);
        else if (field === 'user_preferences') await this.preferencesChange(trx, value);
      }
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let handled = false;
      await this.yieldToIngest();
      try {
        handled = await this.processOne();
      } catch (error) {
        this.logger.error({ err: error }, 'webhook processing could not reach the database');
      }
      if (!handled && !this.stopping) await this.wakeup.wait(this.options.pollMs);
    }
  }

  /**
   * Processes the stored event `id` now, in the caller's time (the sandbox answers with what it
   * stored); waits for a worker that holds it, and does nothing once it is processed.
   */
  async processStored(id: number): Promise<void> {
    await this.processWith((repository) => repository.lockUnprocessed(id), true);
  }

  private async yieldToIngest(): Promise<void> {
    const since = performance.now();
    while (!this.stopping && this.options.yieldWhile?.() && performance.now() - since < maxYieldMs) await sleep(5);
  }

  private async processOne(): Promise<boolean> {
    return this.processWith((repository) => repository.claimNext(), false);
  }

  private async processWith(lock: (repository: WebhookEventRepository) => Promise<InboxEvent | undefined>, rethrow: boolean): Promise<boolean> {
    let claimed: InboxEvent | undefined;
    try {
      await transaction(this.db, async (trx) => {
        const repository = new WebhookEventRepository(trx);
        claimed = await lock(repository);
        if (!claimed) return;
        const payload = asObject(parseBody(claimed.body));
        if (payload && stringAt(payload, 'object') === 'whatsapp_business_account') await this.processPayload(trx, payload);
        await repository.markProcessed(claimed.id);
      });
    } catch (error) {
      if (!claimed) throw error;
      const waitMs = Math.min(maxRetryWaitMs, 1_000 * 2 ** claimed.attempts);
      this.logger.error({ err: error, eventId: claimed.id, attempts: claimed.attempts + 1, retryInMs: waitMs }, 'webhook processing failed; it will be retried');
      await new WebhookEventRepository(this.db).recordFailure(claimed.id, error instanceof Error ? error.message : String(error), waitMs);
      if (rethrow) throw error;
    }
    return claimed !== undefined;
  }

  private servesNumber(value: JsonObject): boolean {
    const number = stringAt(objectAt(value, 'metadata'), 'phone_number_id');
    return this.options.phoneNumberId === undefined || number === undefined || number === this.options.phoneNumberId;
  }

  private async messagesChange(trx: Executor, value: JsonObject): Promise<void> {
    const profiles = objectsAt(value, 'contacts');
    for (const message of objectsAt(value, 'messages')) await this.inbound.receive(trx, message, profiles);
    for (const status of objectsAt(value, 'statuses')) await this.statuses.apply(trx, status);
  }

  /** Marketing opt-out and back in, as the user set it in WhatsApp. */
  private async preferencesChange(trx: Executor, value: JsonObject): Promise<void> {
    const contacts = new WhatsAppContactRepository(trx);
    for (const preference of objectsAt(value, 'user_preferences')) {
      if (stringAt(preference, 'category') !== 'marketing_messages') continue;
      const waId = stringAt(preference, 'wa_id')?.replace(/\D/g, '');
      const contact = await contacts.findByIdentity({ waId: waId || undefined, bsuid: stringAt(preference, 'user_id'), username: undefined, profileName: undefined });
      if (!contact) continue;
      const at = timestampAt(preference, 'timestamp');
      const choice = stringAt(preference, 'value');
      if (choice === 'stop') await optOutContact(trx, contact.id, 'whatsapp', at, 'WhatsApp marketing preference: stop');
      else if (choice === 'resume') await optInContact(trx, contact.id, at, 'WhatsApp marketing preference: resume');
    }
  }
}

/** PostgreSQL text and jsonb cannot hold U+0000, so a NUL in any string would make the event fail forever. */
function withoutNul(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}

/** The stored body, or undefined (ignored) when it cannot be read: also when it nests too deep to walk, which no Meta payload does. */
function parseBody(body: string): unknown {
  try {
    return JSON.parse(body, withoutNul);
  } catch {
    return undefined;
  }
}
