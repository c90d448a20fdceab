/**
 * Status webhooks applied to outbound messages. A status is matched by wamid, else by
 * `biz_opaque_callback_data` (FlowChat's message id, which also attaches the wamid when a status
 * beats the sender's own record of it), else parked until a message gets that wamid. Every
 * status is appended to the history; the message itself only moves forward
 * (`MessageRepository.updateStatus`), so duplicates and any arrival order end in the same state.
 */
import { MessageRepository, type OutboundStatus } from '../db/repositories/message.repository.js';
import { SenderStateRepository } from '../db/repositories/sender-state.repository.js';
import { StatusEventRepository } from '../db/repositories/status-event.repository.js';
import type { JsonObject, Message } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { recordEvent } from '../events/record-event.js';
import { presentMessage } from '../http/presenters/message.presenter.js';
import { isUuid } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import { classifyErrorCode } from '../whatsapp/error-classification.js';
import { firstError, stringAt, timestampAt } from '../whatsapp/webhook-payload.js';
import { optOutContact } from './opt-out.service.js';

const statusOf: Readonly<Record<string, OutboundStatus>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  played: 'read',
  failed: 'failed',
};

export class MessageStatusService {
  constructor(
    private readonly logger: Logger,
    /** The access token's fingerprint, stored with a pause that a failed status causes. */
    private readonly tokenFingerprint: string | null,
  ) {}

  /** Applies one item of a webhook's `statuses` array. */
  async apply(db: Executor, status: JsonObject): Promise<void> {
    const wamid = stringAt(status, 'id');
    const callback = stringAt(status, 'biz_opaque_callback_data');
    const messages = new MessageRepository(db);
    let message = wamid ? await messages.findByExternalId(wamid) : undefined;
    if (!message && callback && isUuid(callback)) {
      const byId = await messages.findById(callback);
      if (byId?.direction === 'outbound' && (byId.external_id === null || byId.external_id === wamid)) {
        message = wamid && byId.external_id === null ? await this.attachWamid(db, byId, wamid) : byId;
      }
    }
    const error = firstError(status);
    await new StatusEventRepository(db).append({
      messageId: message?.id ?? null,
      externalId: wamid ?? null,
      status: stringAt(status, 'status') ?? 'unknown',
      occurredAt: timestampAt(status, 'timestamp'),
      error: error ? { code: error.code, ...(error.title ? { title: error.title } : {}), ...(error.details ? { details: error.details } : {}) } : null,
      payload: status,
    });
    if (message) await this.move(db, message, status);
  }

  /** Applies statuses parked for these messages' wamids (called when a message gets its wamid). */
  async applyParked(db: Executor, messages: readonly Message[]): Promise<void> {
    const byWamid = new Map(messages.filter((message) => message.external_id !== null).map((message) => [message.external_id ?? '', message]));
    const events = new StatusEventRepository(db);
    const parked = await events.parkedFor([...byWamid.keys()]);
    for (const event of parked) {
      const message = byWamid.get(event.external_id);
      if (!message) continue;
      await events.attach([event.id], message.id);
      const moved = await this.move(db, message, event.payload);
      if (moved) byWamid.set(event.external_id, moved);
    }
  }

  private async attachWamid(db: Executor, message: Message, wamid: string): Promise<Message> {
    const attached = await db
      .updateTable('messages')
      .set({ external_id: wamid })
      .where('id', '=', message.id)
      .where('external_id', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('messages as other').select('other.id').where('other.external_id', '=', wamid))))
      .returningAll()
      .executeTakeFirst();
    if (!attached) return message;
    await this.applyParked(db, [attached]);
    return (await new MessageRepository(db).findById(message.id)) ?? attached;
  }

  /** Moves the message forward per `status`; returns the changed message, or undefined. */
  private async move(db: Executor, message: Message, status: JsonObject): Promise<Message | undefined> {
    const target = statusOf[stringAt(status, 'status') ?? ''];
    if (!target) return undefined;
    const error = firstError(status);
    // WhatsApp's timestamps have whole seconds; never let one fall before a step already recorded.
    const known = [message.sent_at, message.delivered_at].map((date) => date?.getTime() ?? 0);
    const at = new Date(Math.max(timestampAt(status, 'timestamp').getTime(), ...(target === 'failed' ? [] : known)));
    const updated = await new MessageRepository(db).updateStatus(message.id, {
      status: target,
      at,
      ...(target === 'failed'
        ? { error: { code: error?.code ?? 'unknown', ...(error?.title ? { title: error.title } : {}), message: error?.details ?? error?.title ?? 'WhatsApp reported the message as failed' } }
        : {}),
    });
    if (!updated) {
      if (target === 'failed') this.logger.info({ messageId: message.id, status: message.status, code: error?.code }, 'failed status ignored: the message is already further along');
      return undefined;
    }
    await recordEvent(db, 'message.updated', { ...presentMessage(updated) });
    if (target === 'failed' && error) await this.applyFailureCode(db, updated, error.code, error.details ?? error.title ?? '');
    return updated;
  }

  private async applyFailureCode(db: Executor, message: Message, code: string, text: string): Promise<void> {
    const numeric = Number(code);
    if (!Number.isInteger(numeric)) return;
    const action = classifyErrorCode(numeric);
    if (action.kind === 'fail' && action.optOut) {
      await optOutContact(db, message.contact_id, 'whatsapp', new Date(), `WhatsApp error ${code}`);
    } else if (action.kind === 'pause') {
      this.logger.error({ code, messageId: message.id }, 'WhatsApp reported an account-level failure; the sender is paused');
      await new SenderStateRepository(db).pause(code, `WhatsApp error ${code}: ${text}`.trim(), this.tokenFingerprint);
    }
  }
}
