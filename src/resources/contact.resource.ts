/**
 * A contact as the REST API, the event stream and outbound webhooks show it. `window_open` tells
 * a client whether free text may be sent (src/contacts/conversation-window.ts).
 */
import type { Contact, ConversationStatus, JsonObject, OptOutSource } from '../db/schema.js';
import { isWindowOpen, windowExpiresAt } from '../contacts/conversation-window.js';
import { isoOrNull } from './iso-time.js';

// A type alias, not an interface: only aliases are assignable to `JsonValue` (event data).
export type ContactResource = {
  id: string;
  phone: string | null;
  name: string | null;
  email: string | null;
  tags: string[];
  metadata: JsonObject;
  opted_out: boolean;
  opted_out_at: string | null;
  opted_out_source: OptOutSource | null;
  username: string | null;
  wa_user_id: string | null;
  message_count: number;
  unread_count: number;
  conversation_status: ConversationStatus;
  assignee_id: string | null;
  channel_id: string | null;
  last_inbound_at: string | null;
  last_message_at: string | null;
  window_open: boolean;
  window_expires_at: string | null;
  created_at: string;
  updated_at: string;
};

export function presentContact(contact: Contact, now = Date.now()): ContactResource {
  return {
    id: contact.id,
    phone: contact.phone,
    name: contact.name,
    email: contact.email,
    tags: contact.tags,
    metadata: contact.metadata,
    opted_out: contact.opted_out_at !== null,
    opted_out_at: isoOrNull(contact.opted_out_at),
    opted_out_source: contact.opted_out_source,
    username: contact.username,
    wa_user_id: contact.wa_user_id,
    message_count: contact.message_count,
    unread_count: contact.unread_count,
    conversation_status: contact.conversation_status,
    assignee_id: contact.assignee_id,
    channel_id: contact.channel_id ?? null,
    last_inbound_at: isoOrNull(contact.last_inbound_at),
    last_message_at: isoOrNull(contact.last_message_at),
    window_open: isWindowOpen(contact, now),
    window_expires_at: isoOrNull(windowExpiresAt(contact)),
    created_at: contact.created_at.toISOString(),
    updated_at: contact.updated_at.toISOString(),
  };
}
