/**
 * Sending and reading messages. A send only validates and stores: the messages go into the outbox
 * as `pending` in the same transaction that checked the rules (unknown contact 404, opted-out 409,
 * text outside the 24-hour window 422; for a bulk send, each rule over every item before the next
 * rule, all or nothing), and the sender takes them from there. An Idempotency-Key, scoped to the
 * principal, makes a repeat (also a concurrent one) answer with the first request's messages.
 */
import { createHash } from 'node:crypto';
import { ContactRepository } from '../db/repositories/contact.repository.js';
import { IdempotencyKeyRepository } from '../db/repositories/idempotency-key.repository.js';
import { MessageRepository } from '../db/repositories/message.repository.js';
import type { KeysetPosition, Page } from '../db/keyset.js';
import type { Contact, JsonObject, Message, NewMessage } from '../db/schema.js';
import { afterCommit, transaction, type Executor } from '../db/transaction.js';
import { recordEvent, recordEvents } from '../events/record-event.js';
import { isWindowOpen } from '../contacts/conversation-window.js';
import { presentContact } from '../resources/contact.resource.js';
import { presentMessage } from '../resources/message.resource.js';
import { AppError, NotFoundError } from '../shared/errors.js';
import { isUuid } from '../shared/ids.js';
import type { Principal } from '../auth/auth.service.js';
import type { InteractiveInput } from '../interactive/interactive-message.js';
import { checkInteractiveItems, prepareExtras, type RowExtras } from './send-preparation.js';
import type { TemplateCatalogue } from '../templates/template-catalogue.js';
import type { Media } from '../db/schema.js';
import { checkMediaBodies, isMediaInput, mediaMessageFields, sendableMedia, type MediaMessageInput } from '../media/outbound-media.js';
import type { ChannelChoice } from '../channels/channel-choice.js';

export interface TemplateInput {
  readonly name: string;
  readonly language: string;
  /** Meta's component objects, stored and sent as given. */
  readonly components?: readonly Readonly<Record<string, unknown>>[];
}

export type MessageInput = (
  | { readonly type: 'text'; readonly content: string }
  | { readonly type: 'template'; readonly template: TemplateInput }
  | { readonly type: 'interactive'; readonly interactive: InteractiveInput }
  | MediaMessageInput
) & {
  readonly reply_to?: string;
  /** The channel to send on; unset: the one the contact last wrote to (see src/channels/channel-choice.ts). */
  readonly channel_id?: string | undefined;
};

export type BulkItem = MessageInput & { readonly contact_id: string };

export interface MessageServiceDeps {
  readonly db: Executor;
  /** Called after a send commits, so this process's sender starts at once. */
  readonly wakeSender: () => void;
  /** Called after messages are marked read, with the newest inbound wamid and its channel. */
  readonly sendReadReceipt: (wamid: string, channelId: string) => void;
  /** Which channel each send goes out on. */
  readonly channels: ChannelChoice;
  /** Template sends are checked against it and get their rendered body as content. */
  readonly templates?: TemplateCatalogue;
}

/** JSON with sorted keys, so equal bodies hash alike whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function scopeOf(principal: Principal): string {
  return principal.type === 'api_key' && principal.apiKeyId ? `api_key:${principal.apiKeyId}` : `user:${principal.userId}`;
}

/** What an automatic message carries besides its body: its automation, and a time after the message it answers. */
export type AutomaticFields = { readonly metadata: JsonObject; readonly created_at: Date };

function toRow(item: BulkItem, fromUserId: string | null, channelId: string, media: Map<string, Media>, extras: RowExtras = {}, automatic?: AutomaticFields): NewMessage {
  const metadata = automatic ? { ...(typeof extras.metadata === 'object' ? extras.metadata : {}), ...automatic.metadata } : extras.metadata;
  const base = {
    contact_id: item.contact_id,
    direction: 'outbound' as const,
    status: 'pending' as const,
    type: item.type,
    from_user_id: fromUserId,
    channel_id: channelId,
    ...extras,
    ...(metadata ? { metadata } : {}),
    ...(automatic ? { created_at: automatic.created_at } : {}),
  };
  if (item.type === 'text') return { ...base, content: item.content };
  if (item.type === 'interactive') return base;
  if (isMediaInput(item)) return { ...base, ...mediaMessageFields(item, media, metadata) };
  const { name, language, components } = item.template;
  return { content: null, ...base, template: JSON.stringify({ name, language, ...(components && components.length > 0 ? { components } : {}) }) };
}

export class MessageService {
  constructor(private readonly deps: MessageServiceDeps) {}

  /** Queues one message; 202 material. */
  async sendMessage(principal: Principal, contactId: string, input: MessageInput, idempotencyKey?: string): Promise<Message> {
    const [message] = await this.send(principal, [{ ...input, contact_id: contactId }], `contact:${contactId}`, idempotencyKey);
    if (!message) throw new NotFoundError('message_not_found');
    return message;
  }

  /** Queues every message or none: contacts checked in one query, messages inserted in one statement. */
  async sendBulkMessages(principal: Principal, items: readonly BulkItem[], idempotencyKey?: string): Promise<Message[]> {
    return this.send(principal, items, 'bulk', idempotencyKey);
  }

  /**
   * Queues a message from no user in the caller's transaction (an automation's reply), under the
   * same sending rules as any send (refused with their `AppError`), with `fields` stored on it.
   */
  async queueAutomatic(trx: Executor, contactId: string, input: MessageInput, fields: AutomaticFields): Promise<Message> {
    const [message] = await this.enqueue(trx, null, [{ ...input, contact_id: contactId }], false, fields);
    if (!message) throw new NotFoundError('message_not_found');
    return message;
  }

  /** The live channel a send naming `channelId` goes out on (unset: the default channel); 422 for an unknown one. */
  channelFor(channelId: string | undefined): string {
    return this.deps.channels.pick([{ named: channelId, contact: undefined }])[0] ?? '';
  }

  /** A contact's thread, newest first. */
  async thread(contactId: string, options: { limit?: number; before?: KeysetPosition }): Promise<Page<Message>> {
    await new ContactRepository(this.deps.db).findByIdOrThrow(contactId);
    return new MessageRepository(this.deps.db).findByContactId(contactId, options);
  }

  /** Marks the contact's inbound messages read and sends WhatsApp a read receipt; returns how many changed. */
  async markThreadRead(contactId: string): Promise<number> {
    const changed = await transaction(this.deps.db, async (trx) => {
      const contacts = new ContactRepository(trx);
      await contacts.findByIdOrThrow(contactId);
      const read = await new MessageRepository(trx).markAsRead(contactId);
      if (read.length === 0) return read;
      await recordEvents(trx, 'message.updated', read.map((message) => ({ ...presentMessage(message) })));
      await recordEvent(trx, 'contact.updated', { ...presentContact(await contacts.findByIdOrThrow(contactId)) });
      const newest = read.filter((message) => message.external_id !== null).sort((a, b) => b.created_at.getTime() - a.created_at.getTime())[0];
      if (newest?.external_id) {
        const wamid = newest.external_id;
        const channelId = newest.channel_id;
        afterCommit(trx, () => this.deps.sendReadReceipt(wamid, channelId));
      }
      return read;
    });
    return changed.length;
  }

  private async send(principal: Principal, items: readonly BulkItem[], target: string, idempotencyKey: string | undefined): Promise<Message[]> {
    return transaction(this.deps.db, async (trx) => {
      const keys = new IdempotencyKeyRepository(trx);
      const scope = scopeOf(principal);
      if (idempotencyKey !== undefined) {
        const hash = createHash('sha256').update(canonical({ target, items })).digest('hex');
        const claim = await keys.claim(scope, idempotencyKey, hash);
        if (claim.kind === 'existing') {
          if (claim.requestHash !== hash) throw new AppError('idempotency_key_reused');
          return this.load(trx, claim.messageIds);
        }
      }
      const messages = await this.enqueue(trx, principal.userId, items, target === 'bulk');
      if (idempotencyKey !== undefined) await keys.complete(scope, idempotencyKey, messages.map((message) => message.id));
      return messages;
    });
  }

  private async enqueue(trx: Executor, fromUserId: string | null, items: readonly BulkItem[], bulk: boolean, automatic?: AutomaticFields): Promise<Message[]> {
    checkInteractiveItems(items, bulk);
    checkMediaBodies(items, (index) => (bulk ? `messages[${index}].` : ''));
    const ids = [...new Set(items.map((item) => item.contact_id))].filter(isUuid);
    const contacts = new Map((await new ContactRepository(trx).findByIds(ids)).map((contact) => [contact.id, contact]));
    const contactOf = (item: BulkItem): Contact | undefined => contacts.get(item.contact_id);
    const unknown = [...new Set(items.filter((item) => !contactOf(item)).map((item) => item.contact_id))];
    if (unknown.length > 0) throw new NotFoundError('contact_not_found', undefined, { contact_ids: unknown });
    const optedOut = [...new Set(items.filter((item) => contactOf(item)?.opted_out_at).map((item) => item.contact_id))];
    if (optedOut.length > 0) throw new AppError('opted_out', undefined, { contact_ids: optedOut });
    const media = await sendableMedia(trx, items);
    const channelIds = this.deps.channels.pick(items.map((item) => ({ named: item.channel_id, contact: contactOf(item) })));
    // Everything but a template needs the contact's 24-hour window open on the number it goes out on.
    const windowed = items.flatMap((item, index) => {
      const contact = contactOf(item);
      return item.type !== 'template' && contact ? [{ contact, channelId: channelIds[index] ?? '' }] : [];
    });
    const lastInbound = await this.deps.channels.lastInbound(trx, windowed);
    const closed = [...new Set(windowed.filter((_entry, index) => !isWindowOpen({ last_inbound_at: lastInbound[index] ?? null })).map((entry) => entry.contact.id))];
    if (closed.length > 0) throw new AppError('window_closed', undefined, { contact_ids: closed });
    const unreachable = [...new Set(items.filter((item) => !contactOf(item)?.phone).map((item) => item.contact_id))];
    if (unreachable.length > 0) throw new AppError('contact_unreachable', undefined, { contact_ids: unreachable });

    const extras = await prepareExtras(trx, items, channelIds, this.deps.templates);
    const messages = await new MessageRepository(trx).createMany(items.map((item, index) => toRow(item, fromUserId, channelIds[index] ?? '', media, extras[index], automatic)));
    await this.deps.channels.settleConversations(trx, messages);
    await recordEvents(trx, 'message.created', messages.map((message) => ({ ...presentMessage(message) })));
    afterCommit(trx, this.deps.wakeSender);
    return messages;
  }

  /** The messages a repeated request answers with, in their original order. */
  private async load(trx: Executor, ids: readonly string[]): Promise<Message[]> {
    if (ids.length === 0) return [];
    const rows = await trx.selectFrom('messages').selectAll().where('id', 'in', [...ids]).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}
