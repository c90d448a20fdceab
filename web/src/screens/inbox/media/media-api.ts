/** Uploading a file (with progress, which `fetch` cannot report) and sending it as a message. */
import i18next from 'i18next';
import { request } from '../../../api/client.js';
import type { MediaKind, MediaRef, Message } from '../../../api/types.js';
import { upload } from '../../../api/upload.js';

export function uploadMedia(file: File, onProgress: (loaded: number, total: number) => void, signal: AbortSignal): Promise<MediaRef> {
  const form = new FormData();
  form.append('file', file, file.name || 'pasted-file');
  return upload<MediaRef>('/media', form, {
    onProgress: (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size),
    failedText: i18next.t('common.uploadInterrupted'),
    signal,
  });
}

export interface MediaSend {
  readonly type: MediaKind;
  readonly media_id: string;
  readonly caption?: string;
  readonly filename?: string;
}

export function sendMedia(contactId: string, body: MediaSend, idempotencyKey: string): Promise<Message> {
  return request<Message>(`/contacts/${encodeURIComponent(contactId)}/messages`, { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey } });
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
