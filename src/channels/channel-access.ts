/**
 * Which channels a user may see. Admins see every channel; an agent sees the channels they are a
 * member of and those with no members at all. Conversations, threads, search hits and events of
 * any other channel are hidden from them (a conversation is 404, not 403: its existence is not
 * theirs to know). A contact with no channel yet is visible to everyone.
 */
import type { Executor } from '../db/transaction.js';
import type { Principal } from '../auth/auth.service.js';
import { NotFoundError } from '../shared/errors.js';
import { isUuid } from '../shared/ids.js';
import { ChannelRepository } from './channel.repository.js';

export class ChannelAccess {
  constructor(private readonly db: Executor) {}

  /** The channel ids the principal may see; null: all of them. */
  async visibleChannels(principal: Pick<Principal, 'role' | 'userId'>): Promise<string[] | null> {
    if (principal.role === 'admin') return null;
    return new ChannelRepository(this.db).visibleTo(principal.userId);
  }

  /**
   * 404 `contact_not_found` unless the principal may see the contact's conversation; returns the
   * channels they may see (null: all), for filtering what the thread holds from other numbers.
   */
  async assertContactVisible(principal: Pick<Principal, 'role' | 'userId'>, contactId: string): Promise<string[] | null> {
    const visible = await this.visibleChannels(principal);
    if (visible === null || !isUuid(contactId)) return visible;
    const contact = await this.db.selectFrom('contacts').select('channel_id').where('id', '=', contactId).executeTakeFirst();
    if (contact && contact.channel_id !== null && !visible.includes(contact.channel_id)) throw new NotFoundError('contact_not_found');
    return visible;
  }

  /** 404 `message_not_found` unless the principal may see the channel the message belongs to. */
  async assertMessageVisible(principal: Pick<Principal, 'role' | 'userId'>, messageId: string): Promise<void> {
    const visible = await this.visibleChannels(principal);
    if (visible === null || !isUuid(messageId)) return;
    const message = await this.db.selectFrom('messages').select('channel_id').where('id', '=', messageId).executeTakeFirst();
    if (message && !visible.includes(message.channel_id)) throw new NotFoundError('message_not_found');
  }
}

/** Whether an event's resource (a message, a contact) belongs to a channel in `visible` (null: all). */
export function eventVisible(data: unknown, visible: readonly string[] | null): boolean {
  if (visible === null || data === null || typeof data !== 'object') return true;
  const channelId = (data as { channel_id?: unknown }).channel_id;
  return typeof channelId !== 'string' || visible.includes(channelId);
}
