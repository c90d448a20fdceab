/**
 * Media on Meta's side, over the Cloud API: `GET /{media id}` for an inbound file's short-lived
 * URL, the download itself (also with the token), and `POST /{phone number id}/media` to upload a
 * file for sending. The sandbox stands in without a network: its "Meta ids" name FlowChat files.
 */
import { openAsBlob } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ChannelCredentials } from './channel-credentials.js';
import type { MediaStorage } from './media-storage.js';
import { MediaRepository } from './media.repository.js';
import type { Executor } from '../db/transaction.js';

export interface RemoteFile {
  readonly body: Readable;
  /** Meta's stated size, when given. */
  readonly size: number | undefined;
  readonly mimeType: string | undefined;
  readonly sha256: string | undefined;
}

/** A Graph answer no retry will change (a 4xx with a Graph error). */
export class MetaRefusedError extends Error {
  constructor(message: string, readonly code: number | undefined) {
    super(message);
    this.name = 'MetaRefusedError';
  }
}

/** Meta says the file is larger than its kind allows: it is not downloaded. */
export class RemoteTooLargeError extends Error {
  constructor(size: number, limit: number) {
    super(`The file (${size} bytes) is larger than WhatsApp allows for its kind (${limit} bytes)`);
    this.name = 'RemoteTooLargeError';
  }
}

export const SANDBOX_MEDIA_PREFIX = 'sandbox-media-';

const timeoutMs = 60_000;

async function graphJson(response: Response): Promise<Record<string, unknown>> {
  const json: unknown = await response.json().catch(() => undefined);
  const body = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const error = body['error'] as { code?: unknown; message?: unknown } | undefined;
  if (!response.ok || error) {
    const code = typeof error?.code === 'number' ? error.code : undefined;
    const message = `Meta answered HTTP ${response.status}${code !== undefined ? ` (code ${code}: ${String(error?.message ?? '')})` : ''}`;
    if (code !== undefined && response.status >= 400 && response.status < 500 && code !== 4 && code !== 80007 && code !== 130429) throw new MetaRefusedError(message, code);
    throw new Error(message);
  }
  return body;
}

export class MetaMediaClient {
  constructor(
    private readonly db: Executor,
    private readonly storage: MediaStorage,
  ) {}

  /** Looks the file up and starts its download at once (Meta's URL lives five minutes), unless it is over `maxBytes`. */
  async download(metaMediaId: string, credentials: ChannelCredentials, maxBytes: number): Promise<RemoteFile> {
    if (credentials.kind === 'sandbox') return this.sandboxFile(metaMediaId);
    const auth = { authorization: `Bearer ${credentials.accessToken}`, 'user-agent': 'FlowChat' };
    const info = await graphJson(await fetch(`${credentials.apiUrl}/${encodeURIComponent(metaMediaId)}`, { headers: auth, signal: AbortSignal.timeout(timeoutMs) }));
    const url = info['url'];
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new Error('Meta answered without a download URL');
    const size = typeof info['file_size'] === 'number' ? info['file_size'] : typeof info['file_size'] === 'string' ? Number(info['file_size']) : undefined;
    if (size !== undefined && size > maxBytes) throw new RemoteTooLargeError(size, maxBytes);
    const response = await fetch(url, { headers: auth, redirect: 'follow' });
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`The media download answered HTTP ${response.status}`);
    }
    return {
      body: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      size: Number.isFinite(size) ? size : undefined,
      mimeType: typeof info['mime_type'] === 'string' ? info['mime_type'] : undefined,
      sha256: typeof info['sha256'] === 'string' ? info['sha256'] : undefined,
    };
  }

  /** Uploads a stored file for sending from `credentials`' number; returns Meta's media id. */
  async upload(storageKey: string, mimeType: string, filename: string, credentials: ChannelCredentials, mediaId: string): Promise<string> {
    if (credentials.kind === 'sandbox') return `${SANDBOX_MEDIA_PREFIX}${mediaId}`;
    const copy = await this.storage.localCopy(storageKey);
    try {
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', mimeType);
      form.set('file', await openAsBlob(copy.path, { type: mimeType }), filename);
      const answer = await graphJson(
        await fetch(`${credentials.apiUrl}/${encodeURIComponent(credentials.phoneNumberId)}/media`, {
          method: 'POST',
          headers: { authorization: `Bearer ${credentials.accessToken}`, 'user-agent': 'FlowChat' },
          body: form,
          signal: AbortSignal.timeout(10 * timeoutMs),
        }),
      );
      const id = answer['id'];
      if (typeof id !== 'string' || id === '') throw new Error('Meta answered the upload without a media id');
      return id;
    } finally {
      await copy.release();
    }
  }

  /** The sandbox's "Meta id" names a FlowChat file: its bytes stand in for Meta's download. */
  private async sandboxFile(metaMediaId: string): Promise<RemoteFile> {
    const media = metaMediaId.startsWith(SANDBOX_MEDIA_PREFIX) ? await new MediaRepository(this.db).getMedia(metaMediaId.slice(SANDBOX_MEDIA_PREFIX.length)) : undefined;
    if (!media?.storage_key) throw new MetaRefusedError('The sandbox has no such file', 100);
    return { body: await this.storage.read(media.storage_key), size: media.size ?? undefined, mimeType: media.mime_type, sha256: media.sha256 ?? undefined };
  }
}
