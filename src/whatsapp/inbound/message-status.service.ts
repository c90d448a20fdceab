/**
 * Status webhooks applied to outbound messages. A status is matched by wamid, else by
 * `biz_opaque_callback_data` (FlowChat's message id, which also attaches the wamid when a status
 * beats the sender's own record of it), else parked until a message gets that wamid. Every
 * status is appended to the history; the message itself only moves forward
 * (`MessageRepository.updateStatus`), so duplicates and any arrival order end in the same state.
 *
 * `apply` takes one status. The webhook processor applies most statuses of a batch together
 * instead (`isPlain`, `messagesFor`, `resolve`, `applyPlain`): those matched by wamid or parked,
 * failures too unless their error opts the contact out or pauses the channel, with the same rows
 * and events as `apply` one after another.
 */
import { MessageRepository, type OutboundStatus, type WebhookStatusChange } from '../../db/repositories/message.repository.js';
import { SenderStateRepository } from '../../db/repositories/sender-state.repository.js';
import { StatusEventRepository, type StatusEventInput } from '../../db/repositories/status-event.repository.js';
import type { JsonObject, Message } from '../../db/schema.js';
import type { Executor } from '../../db/transaction.js';
import { recordEvent } from '../../events/record-event.js';
import { presentMessage } from '../../resources/message.resource.js';
import { isUuid } from '../../shared/ids.js';
import { inRounds } from '../../shared/rounds.js';
import type { Logger } from '../../shared/logger.js';
import { classifyErrorCode } from '../outbound/error-classification.js';
import { firstError, stringAt, timestampAt } from './webhook-payload.js';
import type { PendingEvent } from './inbound-message.service.js';
import { optOutContact } from '../../contacts/opt-out.service.js';

const statusOf: Readonly<Record<string, 'sent' | 'delivered' | 'read' | 'failed'>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  played: 'read',
  failed: 'failed',
};

/** The history row of a status webhook. */
function historyOf(status: JsonObject, message: Message | undefined): StatusEventInput {
  const error = firstError(status);
  return {
    messageId: message?.id ?? null,
    externalId: stringAt(status, 'id') ?? null,
    status: stringAt(status, 'status') ?? 'unknown',
    occurredAt: timestampAt(status, 'timestamp'),
    error: error ? { code: error.code, ...(error.title ? { title: error.title } : {}), ...(error.details ? { details: error.details } : {}) } : null,
    payload: status,
  };
}

/** What a failed status's error does besides failing the message: opts the contact out, or pauses the channel. */
function failureConsequence(code: string): 'opt_out' | 'pause' | undefined {
  const numeric = Number(code);
  if (!Number.isInteger(numeric)) return undefined;
  const action = classifyErrorCode(numeric);
  if (action.kind === 'fail' && action.optOut) return 'opt_out';
  return action.kind === 'pause' ? 'pause' : undefined;
}

/** The error a failed status leaves on its message. */
function failureOf(status: JsonObject): NonNullable<WebhookStatusChange['error']> {
  const error = firstError(status);
  return { code: error?.code ?? 'unknown', ...(error?.title ? { title: error.title } : {}), message: error?.details ?? error?.title ?? 'WhatsApp reported the message as failed' };
}

/** When the message reached `target`: WhatsApp's timestamps have whole seconds, so never before a step already recorded. */
function moveAt(message: Message, status: JsonObject, target: OutboundStatus): Date {
  const known = [message.sent_at, message.delivered_at].map((date) => date?.getTime() ?? 0);
  return new Date(Math.max(timestampAt(status, 'timestamp').getTime(), ...(target === 'failed' ? [] : known)));
}

export class MessageStatusService {
  constructor(
    private readonly logger: Logger,
    /** A channel's access token fingerprint, stored with a pause that a failed status causes. */
    private readonly tokenFingerprint: (channelId: string) => string | null,
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
    await new StatusEventRepository(db).append(historyOf(status, message));
    if (message) await this.move(db, message, status);
  }

  /** Whether `applyPlain` can apply the status: any but a failure that opts the contact out or pauses the channel. */
  isPlain(status: JsonObject): boolean {
    const code = statusOf[stringAt(status, 'status') ?? ''] === 'failed' ? firstError(status)?.code : undefined;
    return code === undefined || failureConsequence(code) === undefined;
  }

  /** The messages the statuses' wamids name, locked in one statement, for `resolve`. */
  messagesFor(db: Executor, statuses: readonly JsonObject[]): Promise<Message[]> {
    return new MessageRepository(db).lockByExternalIds(statuses.flatMap((status) => stringAt(status, 'id') ?? []));
  }

  /**
   * The message a status applies to, among `byWamid` (read just before), for `applyPlain`: none
   * means it is parked; `one` when only `apply` can match it (by `biz_opaque_callback_data`).
   */
  resolve(byWamid: ReadonlyMap<string, Message>, status: JsonObject): { readonly message: Message | undefined } | 'one' {
    const wamid = stringAt(status, 'id');
    const message = wamid ? byWamid.get(wamid) : undefined;
    const callback = stringAt(status, 'biz_opaque_callback_data');
    if (!message && callback && isUuid(callback)) return 'one';
    return { message };
  }

  /**
   * Applies plain statuses together, each with the message `resolve` gave, and returns the events
   * `apply` would have recorded for each, in order, for the caller to record. The history is one
   * statement; the moves one statement a round: each message's first status in the first round,
   * its second in the next, each against the message as its previous status left it (a message's
   * sent, delivered and read often arrive within seconds, so in one batch).
   */
  async applyPlain(db: Executor, items: ReadonlyArray<{ readonly status: JsonObject; readonly message: Message | undefined }>): Promise<PendingEvent[][]> {
    await new StatusEventRepository(db).appendMany(items.map(({ status, message }) => historyOf(status, message)));
    const messages = new MessageRepository(db);
    // Each message as its latest move left it.
    const latest = new Map<string, Message>();
    const moved: Array<Message | undefined> = items.map(() => undefined);
    const moves = items.flatMap(({ status, message }, index) => {
      const target = statusOf[stringAt(status, 'status') ?? ''];
      return message && target ? [{ index, status, target, message }] : [];
    });
    for (const round of inRounds(moves, (move) => move.message.id)) {
      const changes = round.map((move): WebhookStatusChange => {
        const message = latest.get(move.message.id) ?? move.message;
        return { id: message.id, status: move.target, at: moveAt(message, move.status, move.target), ...(move.target === 'failed' ? { error: failureOf(move.status) } : {}) };
      });
      const updated = new Map((await messages.updateStatuses(changes)).map((message) => [message.id, message]));
      for (const move of round) {
        const message = updated.get(move.message.id);
        if (!message) {
          if (move.target === 'failed') this.logIgnoredFailure(latest.get(move.message.id) ?? move.message, move.status);
          continue;
        }
        latest.set(message.id, message);
        moved[move.index] = message;
      }
    }
    return moved.map((message) => (message ? [{ type: 'message.updated', data: { ...presentMessage(message) } }] : []));
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
    const at = moveAt(message, status, target);
    const updated = await new MessageRepository(db).updateStatus(message.id, { status: target, at, ...(target === 'failed' ? { error: failureOf(status) } : {}) });
    if (!updated) {
      if (target === 'failed') this.logIgnoredFailure(message, status);
      return undefined;
    }
    await recordEvent(db, 'message.updated', { ...presentMessage(updated) });
    if (target === 'failed' && error) await this.applyFailureCode(db, updated, error.code, error.details ?? error.title ?? '');
    return updated;
  }

  private logIgnoredFailure(message: Message, status: JsonObject): void {
    this.logger.info({ messageId: message.id, status: message.status, code: firstError(status)?.code }, 'failed status ignored: the message is already further along');
  }

  private async applyFailureCode(db: Executor, message: Message, code: string, text: string): Promise<void> {
    const consequence = failureConsequence(code);
    if (consequence === 'opt_out') {
      await optOutContact(db, message.contact_id, 'whatsapp', new Date(), `WhatsApp error ${code}`);
    } else if (consequence === 'pause') {
      this.logger.error({ code, messageId: message.id, channelId: message.channel_id }, 'WhatsApp reported an account-level failure; sending on its channel is paused');
      await new SenderStateRepository(db, message.channel_id).pause(code, `WhatsApp error ${code}: ${text}`.trim(), this.tokenFingerprint(message.channel_id));
    }
  }
}
