import { apiErrorFrom } from './api-error.js';
import { request } from './client.js';
import type { CatalogueTemplate, InteractiveBody, Message } from './types.js';

export interface TemplateQuery {
  readonly status?: string;
  readonly language?: string;
  readonly q?: string;
  /** Only the catalogue this channel sends from. */
  readonly channel_id?: string;
}

export async function listTemplates(query: TemplateQuery = {}): Promise<readonly CatalogueTemplate[]> {
  return (await request<{ items: CatalogueTemplate[] }>('/templates', { query: { ...query } })).items;
}

export function syncTemplates(): Promise<{ added: number; updated: number; removed: number }> {
  return request('/templates/sync', { method: 'POST' });
}

/** Sets (or with `""` removes) the signed-in agent's reaction on a message. */
export function reactToMessage(messageId: string, emoji: string): Promise<Message> {
  return request<Message>(`/messages/${encodeURIComponent(messageId)}/reactions`, { method: 'POST', body: { emoji } });
}

export function sendInteractive(contactId: string, interactive: InteractiveBody, idempotencyKey: string, replyTo?: string): Promise<Message> {
  return request<Message>(`/contacts/${encodeURIComponent(contactId)}/messages`, {
    method: 'POST',
    body: { type: 'interactive', interactive, ...(replyTo ? { reply_to: replyTo } : {}) },
    headers: { 'idempotency-key': idempotencyKey },
  });
}

/** Uploads a file (`POST /api/v1/media`); answers its FlowChat media id. */
export async function uploadMedia(file: File): Promise<{ id: string; kind: string }> {
  const form = new FormData();
  form.append('file', file, file.name);
  const response = await fetch('/api/v1/media', { method: 'POST', body: form, credentials: 'same-origin' });
  const body: unknown = await response.json().catch(() => ({}));
  const uploaded = body as { id?: string; kind?: string };
  if (!response.ok || !uploaded.id) throw apiErrorFrom(response.status, body);
  return { id: uploaded.id, kind: uploaded.kind ?? 'document' };
}
