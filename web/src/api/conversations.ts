import { request } from './client.js';
import { getContact } from './contacts.js';
import type { Conversation, ConversationStatus, Page, TeamMember } from './types.js';

export interface ConversationQuery {
  readonly status?: ConversationStatus;
  readonly assignee?: 'me';
  readonly tag?: string;
  readonly q?: string;
  readonly channel_id?: string;
  readonly limit?: number;
  readonly cursor?: string | null;
}

export function listConversations(query: ConversationQuery, signal?: AbortSignal): Promise<Page<Conversation>> {
  return request<Page<Conversation>>('/conversations', { query: { ...query }, signal });
}

/**
 * One conversation, for a thread opened by link that the list does not hold. The contact
 * resource carries the conversation's state, so no separate route is needed.
 */
export async function getConversation(contactId: string): Promise<Conversation> {
  const contact = await getContact(contactId);
  return {
    contact,
    last_message: null,
    unread_count: contact.unread_count ?? 0,
    status: contact.conversation_status ?? 'open',
    assignee_id: contact.assignee_id ?? null,
    channel_id: contact.channel_id ?? null,
  };
}

export interface ConversationChange {
  readonly status?: ConversationStatus;
  readonly assignee_id?: string | null;
}

export function updateConversation(contactId: string, change: ConversationChange): Promise<Conversation> {
  return request<Conversation>(`/contacts/${encodeURIComponent(contactId)}/conversation`, {
    method: 'POST',
    body: change,
  });
}

/** Marks the contact's inbound messages read, which also sends WhatsApp read receipts. */
export function markRead(contactId: string): Promise<void> {
  return request<void>(`/contacts/${encodeURIComponent(contactId)}/read`, { method: 'POST' });
}

/** Everyone a conversation can be assigned to, by name. */
export async function listTeam(): Promise<readonly TeamMember[]> {
  return (await request<{ items: TeamMember[] }>('/agents')).items;
}
