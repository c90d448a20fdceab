/**
 * Records the sends WhatsApp accepted in small batches (a transaction each, every ~100 ms or 500
 * sends): the wamid, a newly learnt wa_id, the `message.updated` events, and statuses that
 * arrived before the send was recorded. On a database error the batch waits for the next try.
 */
import { OutboxRepository, type AcceptedSend } from '../../db/repositories/outbox.repository.js';
import { transaction, type Executor } from '../../db/transaction.js';
import { recordEvents } from '../../events/record-event.js';
import { presentMessage } from '../../resources/message.resource.js';
import type { Logger } from '../../shared/logger.js';
import type { MessageStatusService } from '../inbound/message-status.service.js';
import type { Claims } from './claims.js';

export interface Accepted extends AcceptedSend {
  readonly contactId: string;
  readonly waId: string | undefined;
}

const flushDelayMs = 100;
const flushBatch = 500;

export class AcceptedRecorder {
  private accepted: Accepted[] = [];
  private flushing: Promise<void> | undefined;
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Executor,
    private readonly statuses: MessageStatusService,
    private readonly logger: Logger,
    private readonly claims: Claims,
    /** Waits for a moment when database work holds no send past its slot (the sender's `quiet`). */
    private readonly quiet: () => Promise<void>,
    private readonly stopping: () => boolean,
  ) {}

  /** Accepted sends not recorded yet: settled already, so never reaped. */
  ids(): string[] {
    return this.accepted.map((send) => send.id);
  }

  add(send: Accepted): void {
    this.accepted.push(send);
    this.scheduleFlush();
  }

  /** Records everything accepted so far now (the sender is stopping). */
  drain(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    return this.flush();
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
      for (const send of batch) this.claims.inHand.add(send.id);
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
        if (!this.stopping()) {
          clearTimeout(this.flushTimer);
          this.flushTimer = setTimeout(() => {
            this.flushTimer = undefined;
            void this.flush();
          }, 1_000);
        }
        return;
      } finally {
        for (const send of batch) this.claims.inHand.delete(send.id);
      }
    }
  }
}
