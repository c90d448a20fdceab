import { itemsOf, request } from './client.js';
import type { QuickReply } from './types.js';

export async function listQuickReplies(): Promise<readonly QuickReply[]> {
  return itemsOf(await request<{ items: QuickReply[] } | QuickReply[]>('/quick-replies'));
}

export function createQuickReply(shortcut: string, text: string): Promise<QuickReply> {
  return request<QuickReply>('/quick-replies', { method: 'POST', body: { shortcut, text } });
}

export function deleteQuickReply(id: string): Promise<void> {
  return request<void>(`/quick-replies/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
