/**
 * WhatsApp's customer-service window: free text may go to a contact only while their last inbound
 * message is under 24 hours old. The one place this rule lives on the server.
 */
import type { Contact } from '../db/schema.js';

const WINDOW_MS = 24 * 3600 * 1000;

export function windowExpiresAt(contact: Pick<Contact, 'last_inbound_at'>): Date | null {
  return contact.last_inbound_at ? new Date(contact.last_inbound_at.getTime() + WINDOW_MS) : null;
}

export function isWindowOpen(contact: Pick<Contact, 'last_inbound_at'>, now = Date.now()): boolean {
  const expires = windowExpiresAt(contact);
  return expires !== null && expires.getTime() > now;
}
