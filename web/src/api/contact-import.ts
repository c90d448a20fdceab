import i18next from 'i18next';
import { apiErrorFrom } from './api-error.js';
import { apiUrl } from './client.js';
import type { ImportResult } from './types.js';

export interface ImportProgress {
  /** Fraction of the file uploaded, 0 to 1. */
  readonly uploaded: number;
  /** True once the whole file is sent and the server is processing it. */
  readonly processing: boolean;
}

/**
 * Uploads a CSV file to the import route. XMLHttpRequest rather than fetch, because only it
 * reports upload progress, which drives the progress bar on large files.
 */
export function importContacts(file: Blob, onProgress: (progress: ImportProgress) => void): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl('/contacts/import'));
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ uploaded: event.loaded / event.total, processing: false });
    };
    xhr.upload.onload = () => onProgress({ uploaded: 1, processing: true });
    xhr.onerror = () => reject(new Error(i18next.t('common.uploadFailed')));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as ImportResult);
      else reject(apiErrorFrom(xhr.status, body));
    };
    xhr.send(file);
  });
}
