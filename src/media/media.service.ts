/**
 * Uploading and serving media: an upload streams to the spool (hashed and counted on the way), is
 * judged by its bytes (kind and WhatsApp's size limit for it), then moves into storage under its
 * sha256, so the same bytes uploaded twice are stored once. Serving reads the stored bytes whole
 * or by range.
 */
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Media } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { AppError } from '../shared/errors.js';
import { detectMedia, MAX_MEDIA_BYTES } from './media-kinds.js';
import type { ByteRange, MediaStorage } from './media-storage.js';
import { MediaRepository } from './media.repository.js';
import { spool, SpoolInputError, SpoolLimitError } from './spool.js';

export interface UploadInput {
  readonly file: Readable;
  readonly filename: string | undefined;
  readonly uploadedBy: string | null;
}

export interface OpenedMedia {
  readonly media: Media & { readonly size: number; readonly storage_key: string };
  readonly body: Readable;
}

/** A filename as given, without any folder part or control characters, at most 240 characters. */
export function cleanFilename(name: string | undefined): string | null {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 240);
  return cleaned === '' ? null : cleaned;
}

export class MediaService {
  constructor(
    private readonly db: Executor,
    readonly storage: MediaStorage,
  ) {}

  async upload(input: UploadInput): Promise<Media> {
    let spooled;
    try {
      spooled = await spool(input.file, this.storage.spoolDir, MAX_MEDIA_BYTES);
    } catch (error) {
      if (error instanceof SpoolLimitError) throw new AppError('media_too_large', undefined, { max_bytes: MAX_MEDIA_BYTES });
      if (error instanceof SpoolInputError) throw new AppError('invalid_multipart', error.message);
      throw error;
    }
    const filename = cleanFilename(input.filename);
    try {
      if (spooled.size === 0) throw new AppError('media_empty');
      const detected = await detectMedia(spooled.path, filename ?? undefined);
      if (!detected) throw new AppError('unsupported_media_type', 'WhatsApp does not take files of this type');
      if (spooled.size > detected.maxBytes) throw new AppError('media_too_large', undefined, { kind: detected.kind, max_bytes: detected.maxBytes, size: spooled.size });
      await this.storage.put(spooled.sha256, spooled.path, spooled.size, detected.mimeType);
      return await new MediaRepository(this.db).insertStored({ kind: detected.kind, mimeType: detected.mimeType, size: spooled.size, sha256: spooled.sha256, filename, uploadedBy: input.uploadedBy });
    } finally {
      await rm(spooled.path, { force: true });
    }
  }

  /** A ready file's row; 404 for an unknown id or a file not downloaded (yet). */
  async find(id: string): Promise<OpenedMedia['media']> {
    const media = await new MediaRepository(this.db).getMedia(id);
    if (!media || media.status !== 'ready' || media.storage_key === null || media.size === null) throw new AppError('media_file_not_found');
    return { ...media, size: media.size, storage_key: media.storage_key };
  }

  /** The bytes; 404 when the store has lost them (removed by hand, a bucket emptied). */
  async read(media: OpenedMedia['media'], range?: ByteRange): Promise<Readable> {
    try {
      return await this.storage.read(media.storage_key, range);
    } catch (error) {
      const missing = (error as { code?: unknown; name?: unknown }).code === 'ENOENT' || (error as { name?: unknown }).name === 'NoSuchKey';
      if (missing) throw new AppError('media_file_not_found', 'The file’s bytes are no longer in storage');
      throw error;
    }
  }
}
