/** Uploading files to a test app as a browser would (`multipart/form-data`, one `file` part). */
import type { App } from '../../../src/http/app.js';
import { bearer } from '../../support/app.js';

export function multipartBody(bytes: Buffer, filename: string, contentType = 'application/octet-stream', field = 'file'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----flowchat${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, bytes, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function uploadMedia(app: App, token: string, bytes: Buffer, filename: string, contentType?: string) {
  const body = multipartBody(bytes, filename, contentType);
  return app.inject({ method: 'POST', url: '/api/v1/media', headers: { ...bearer(token), ...body.headers }, payload: body.payload });
}
