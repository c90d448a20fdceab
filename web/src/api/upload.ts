// Posting a file to the API with XMLHttpRequest rather than fetch, because only it reports upload progress.
import { apiErrorFrom } from './api-error.js';
import { apiUrl } from './client.js';

export interface UploadOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly onProgress: (event: ProgressEvent) => void;
  /** Called once the whole body is sent, while the server still works on it. */
  readonly onSent?: () => void;
  /** The error's sentence when the connection breaks. */
  readonly failedText: string;
  /** Aborting cancels the upload, which then rejects with an `AbortError`. */
  readonly signal?: AbortSignal;
}

/** Posts `body` to `path`; answers the JSON of a 2xx answer, or rejects with the API's error. */
export function upload<T>(path: string, body: XMLHttpRequestBodyInit, options: UploadOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(path));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(options.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = options.onProgress;
    if (options.onSent) xhr.upload.onload = options.onSent;
    xhr.onload = () => {
      let answer: unknown;
      try {
        answer = JSON.parse(xhr.responseText);
      } catch {
        answer = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(answer as T);
      else reject(apiErrorFrom(xhr.status, answer));
    };
    xhr.onerror = () => reject(new Error(options.failedText));
    xhr.onabort = () => reject(new DOMException('The upload was canceled', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}
