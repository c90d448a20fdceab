/**
 * The inbox's conversations: list them (newest activity first, filtered), and change one
 * (assign to an agent, close, reopen), announcing the change as `contact.updated`.
 */
import type { CursorCodec } from '../db/cursor.js';
import { presentContact, type ContactResource } from '../resources/contact.resource.js';
import { presentMessage, type MessageResource } from '../resources/message.resource.js';
import { recordEvent } from '../events/record-event.js';
import { ContactRepository } from '../db/repositories/contact.repository.js';
import { ConversationRepository, type ConversationRow } from '../db/repositories/conversation.repository.js';
import { UserRepository } from '../db/repositories/user.repository.js';
import type { Contact, ContactUpdate, ConversationStatus } from '../db/schema.js';
import { transaction, type Executor } from '../db/transaction.js';
import { NotFoundError } from '../shared/errors.js';
import { isUuid } from '../shared/ids.js';
import type { Principal } from '../auth/auth.service.js';

export interface ConversationResource {
  contact: ContactResource;
  last_message: MessageResource | null;
  unread_count: number;
  status: ConversationStatus;
  assignee_id: string | null;
  channel_id: string | null;
}

export interface ConversationQuery {
  readonly status?: ConversationStatus;
  /** `me`, `none`, or a user id. */
  readonly assignee?: string;
  readonly tag?: string;
  readonly q?: string;
  readonly channel_id?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ConversationChange {
  readonly status?: ConversationStatus;
  readonly assignee_id?: string | null;
}

const cursorScope = 'conversations';

function presentConversation(contact: Contact, lastMessage: ConversationRow['lastMessage'], now = Date.now()): ConversationResource {
  return {
    contact: presentContact(contact, now),
    last_message: lastMessage ? presentMessage(lastMessage) : null,
    unread_count: contact.unread_count,
    status: contact.conversation_status,
    assignee_id: contact.assignee_id,
    channel_id: contact.channel_id ?? null,
  };
}

/** The channels a list may show: the one asked for (if visible), else every visible one. */
function channelFilter(asked: string | undefined, visible: readonly string[] | null): { channelIds?: readonly string[] } {
  if (asked === undefined) return visible === null ? {} : { channelIds: visible };
  const allowed = visible === null || visible.includes(asked);
  return { channelIds: allowed && isUuid(asked) ? [asked] : [] };
}

export class ConversationService {
  constructor(private readonly db: Executor, private readonly cursors: CursorCodec) {}

  /** `visible`: the channels the principal may see (null: all), from `ChannelAccess`. */
  async list(query: ConversationQuery, principal: Principal, visible: readonly string[] | null = null): Promise<{ items: ConversationResource[]; nextCursor: string | null }> {
    const assignee = query.assignee;
    let assigneeId: string | null | undefined;
    if (assignee === 'me') assigneeId = principal.userId;
    else if (assignee === 'none') assigneeId = null;
    else if (assignee !== undefined) assigneeId = isUuid(assignee) ? assignee : '00000000-0000-0000-0000-000000000000';
    const page = await new ConversationRepository(this.db).list({
      ...(query.status ? { status: query.status } : {}),
      ...(assigneeId !== undefined ? { assigneeId } : {}),
      ...(query.tag ? { tag: query.tag.trim().toLowerCase() } : {}),
      ...(query.q ? { q: query.q } : {}),
      ...channelFilter(query.channel_id, visible),
      ...(query.limit ? { limit: query.limit } : {}),
      ...(query.cursor ? { after: this.cursors.decode(query.cursor, cursorScope) } : {}),
    });
    const now = Date.now();
    return {
      items: page.items.map((row) => presentConversation(row.contact, row.lastMessage, now)),
      nextCursor: page.next ? this.cursors.encode(page.next, cursorScope) : null,
    };
  }

  async change(contactId: string, change: ConversationChange): Promise<ConversationResource> {
    return transaction(this.db, async (trx) => {
      const contacts = new ContactRepository(trx);
      if (change.assignee_id && !(await new UserRepository(trx).findById(change.assignee_id))) {
        throw new NotFoundError('user_not_found', 'No user has that assignee_id');
      }
      const update: ContactUpdate = {};
      if (change.status !== undefined) update.conversation_status = change.status;
      if (change.assignee_id !== undefined) update.assignee_id = change.assignee_id;
      const contact = await contacts.update(contactId, update);
      await recordEvent(trx, 'contact.updated', { ...presentContact(contact) });
      const lastMessage = await trx
        .selectFrom('messages')
        .selectAll()
        .where('contact_id', '=', contact.id)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return presentConversation(contact, lastMessage ?? null);
    });
  }
}
