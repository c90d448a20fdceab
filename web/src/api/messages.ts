import { request } from './client.js';
import type { Message, Page, TemplateRef } from './types.js';

export function listMessages(contactId: string, before: string | null, limit = 50): Promise<Page<Message>> {
  return request<Page<Message>>(`/contacts/${encodeURIComponent(contactId)}/messages`, {
    query: { limit, before },
  });
}

export type OutgoingMessage = (
  { readonly type: 'text'; readonly content: string } | { readonly type: 'template'; readonly template: TemplateRef }
) & { readonly reply_to?: string };

/**
 * Sends a message. The idempotency key makes a retry after a network error safe:
 * the server answers with the first message instead of sending twice.
 */
export function sendMessage(contactId: string, message: OutgoingMessage, idempotencyKey: string): Promise<Message> {
  return request<Message>(`/contacts/${encodeURIComponent(contactId)}/messages`, {
    method: 'POST',
    body: message,
    headers: { 'idempotency-key': idempotencyKey },
  });
}
