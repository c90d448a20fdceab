/** Uploading a file (with progress, which `fetch` cannot report) and sending it as a message. */
import i18next from 'i18next';
import { apiErrorFrom } from '../../../api/api-error.js';
import { apiUrl, request } from '../../../api/client.js';
import type { MediaKind, MediaRef, Message } from '../../../api/types.js';

export function uploadMedia(file: File, onProgress: (loaded: number, total: number) => void, signal: AbortSignal): Promise<MediaRef> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl('/media'));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 201) resolve(body as MediaRef);
      else reject(apiErrorFrom(xhr.status, body));
    };
    xhr.onerror = () => reject(new Error(i18next.t('common.uploadInterrupted')));
    xhr.onabort = () => reject(new DOMException('The upload was canceled', 'AbortError'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name || 'pasted-file');
    xhr.send(form);
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
