/**
 * A stand-in for the parts of the Cloud API that media use: `GET /{media id}` (the file's URL),
 * the download itself (Bearer token required), `POST /{phone number id}/media` (uploads) and
 * `POST /{phone number id}/messages` (sends). Each file's answers can be scripted to fail.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RemoteFile {
  readonly bytes: Buffer;
  readonly mimeType: string;
  /** What `GET /{media id}` says; defaults to the bytes' hex sha256 and length. */
  readonly sha256?: string;
  readonly fileSize?: number;
  /** Downloads answered with this status until `failures` of them have failed. */
  failures?: number;
}

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

export interface MetaMediaStandIn {
  readonly url: string;
  readonly phoneNumberId: string;
  readonly accessToken: string;
  readonly appSecret: string;
  readonly files: Map<string, RemoteFile>;
  readonly requests: SeenRequest[];
  /** Uploads (`POST …/media`) answered 500 while this is above zero, each one lowering it. */
  uploadFailures: number;
  env(): Record<string, string>;
  sends(): Array<Record<string, unknown>>;
  uploads(): SeenRequest[];
  close(): Promise<void>;
}

export async function startMetaMediaStandIn(): Promise<MetaMediaStandIn> {
  const accessToken = `EAAG${randomBytes(8).toString('hex')}`;
  const phoneNumberId = '106540352242922';
  const files = new Map<string, RemoteFile>();
  const requests: SeenRequest[] = [];
  let uploadCount = 0;
  const standIn = { uploadFailures: 0 };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = (request.url ?? '').split('?')[0] ?? '';
      const seen: SeenRequest = { method: request.method ?? '', path, authorization: request.headers.authorization, contentType: request.headers['content-type'], body: Buffer.concat(chunks) };
      requests.push(seen);
      const json = (status: number, body: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (seen.authorization !== `Bearer ${accessToken}`) return json(401, { error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190 } });
      const download = /^\/files\/(.+)$/.exec(path);
      if (download) {
        const file = files.get(decodeURIComponent(download[1] ?? ''));
        if (!file) return json(404, { error: { message: 'gone', code: 100 } });
        if ((file.failures ?? 0) > 0) {
          file.failures = (file.failures ?? 0) - 1;
          response.writeHead(503).end();
          return;
        }
        response.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length });
        response.end(file.bytes);
        return;
      }
      const upload = new RegExp(`^/v25\\.0/${phoneNumberId}/media$`).test(path);
      if (upload && seen.method === 'POST') {
        if (standIn.uploadFailures > 0) {
          standIn.uploadFailures -= 1;
          response.writeHead(500).end();
          return;
        }
        uploadCount += 1;
        return json(200, { id: `meta-upload-${uploadCount}` });
      }
      if (new RegExp(`^/v25\\.0/${phoneNumberId}/messages$`).test(path) && seen.method === 'POST') {
        const body = JSON.parse(seen.body.toString('utf8')) as Record<string, unknown>;
        return json(200, { messaging_product: 'whatsapp', contacts: [{ input: body['to'], wa_id: String(body['to']).replace(/\D/g, '') }], messages: [{ id: `wamid.${randomBytes(8).toString('hex')}` }] });
      }
      const info = /^\/v25\.0\/([^/]+)$/.exec(path);
      if (info && seen.method === 'GET') {
        const id = decodeURIComponent(info[1] ?? '');
        const file = files.get(id);
        if (!file) return json(400, { error: { message: 'Unsupported get request', code: 100 } });
        return json(200, {
          messaging_product: 'whatsapp',
          url: `${base}/files/${encodeURIComponent(id)}`,
          mime_type: file.mimeType,
          sha256: file.sha256 ?? createHash('sha256').update(file.bytes).digest('hex'),
          file_size: file.fileSize ?? file.bytes.length,
          id,
        });
      }
      json(404, { error: { message: 'Unknown path', code: 100 } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const appSecret = randomBytes(12).toString('hex');
  return Object.assign(standIn, {
    url: `${base}/v25.0`,
    phoneNumberId,
    accessToken,
    appSecret,
    files,
    requests,
    env: () => ({ WHATSAPP_API_URL: `${base}/v25.0`, WHATSAPP_ACCESS_TOKEN: accessToken, WHATSAPP_PHONE_NUMBER_ID: phoneNumberId, WHATSAPP_APP_SECRET: appSecret, WHATSAPP_VERIFY_TOKEN: 'verify-media' }),
    sends: () => requests.filter((request) => request.path.endsWith('/messages')).map((request) => JSON.parse(request.body.toString('utf8')) as Record<string, unknown>),
    uploads: () => requests.filter((request) => request.path.endsWith('/media') && request.method === 'POST'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
