import type { Contact } from '../api/types.js';

const WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * When the contact's 24-hour customer-service window closes, or null when it is closed.
 * Uses the server's `window_expires_at` and falls back to `last_inbound_at` + 24 h.
 */
export function windowExpiry(contact: Contact, now: number): Date | null {
  const expires = contact.window_expires_at
    ? new Date(contact.window_expires_at).getTime()
    : contact.last_inbound_at
      ? new Date(contact.last_inbound_at).getTime() + WINDOW_MS
      : null;
  if (expires === null || expires <= now) return null;
  return new Date(expires);
}
