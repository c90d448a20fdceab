import i18next from 'i18next';
import type { ImportResult } from './types.js';
import { upload } from './upload.js';

export interface ImportProgress {
  /** Fraction of the file uploaded, 0 to 1. */
  readonly uploaded: number;
  /** True once the whole file is sent and the server is processing it. */
  readonly processing: boolean;
}

/** Uploads a CSV file to the import route; the progress drives the progress bar on large files. */
export function importContacts(file: Blob, onProgress: (progress: ImportProgress) => void): Promise<ImportResult> {
  return upload<ImportResult>('/contacts/import', file, {
    headers: { 'content-type': 'text/csv' },
    onProgress: (event) => {
      if (event.lengthComputable) onProgress({ uploaded: event.loaded / event.total, processing: false });
    },
    onSent: () => onProgress({ uploaded: 1, processing: true }),
    failedText: i18next.t('common.uploadFailed'),
  });
}
