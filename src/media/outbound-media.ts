/**
 * Media send bodies (`{"type":"image", "media_id", "caption"?, "filename"?}`): checked before
 * anything is stored (a caption only where WhatsApp shows one, a known ready file of the right
 * kind), then stored as a message that carries its file and waits, held, for the upload to Meta
 * (see outbound-uploads.ts).
 */
import type { Media, MediaKind, NewMessage } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { signalWork } from '../db/work-signals.js';
import { AppError } from '../shared/errors.js';
import { isMediaKind, mediaLabel } from './media-kinds.js';
import { mediaSnapshot } from './media-presenter.js';
import { MediaRepository } from './media.repository.js';
import { MEDIA_UPLOAD_HOLD } from './outbound-uploads.js';

export interface MediaMessageInput {
  readonly type: MediaKind;
  readonly media_id: string;
  readonly caption?: string;
  readonly filename?: string;
}

const uncaptioned = new Set<string>(['audio', 'sticker']);

export function isMediaInput(item: { readonly type: string }): item is MediaMessageInput {
  return isMediaKind(item.type);
}

/** 400 for a caption on audio or a sticker, naming the item's field. */
export function checkMediaBodies(items: ReadonlyArray<{ readonly type: string }>, fieldPrefix: (index: number) => string): void {
  const problems = items.flatMap((item, index) =>
    isMediaInput(item) && item.caption !== undefined && uncaptioned.has(item.type) ? [{ field: `${fieldPrefix(index)}caption`, message: `WhatsApp shows no caption on ${item.type} messages` }] : [],
  );
  if (problems.length > 0) throw new AppError('validation_failed', `Invalid ${problems[0]?.field}: ${problems[0]?.message}`, problems);
}

/** The files the media items name, each ready and of the item's kind; else 422. */
export async function sendableMedia(db: Executor, items: ReadonlyArray<{ readonly type: string }>): Promise<Map<string, Media>> {
  const wanted = items.filter(isMediaInput);
  if (wanted.length === 0) return new Map();
  const found = new Map((await new MediaRepository(db).findByIds(wanted.map((item) => item.media_id))).map((media) => [media.id, media]));
  const missing = [...new Set(wanted.filter((item) => found.get(item.media_id)?.status !== 'ready').map((item) => item.media_id))];
  if (missing.length > 0) throw new AppError('media_not_found', undefined, { media_ids: missing });
  const mismatched = wanted.filter((item) => found.get(item.media_id)?.kind !== item.type);
  if (mismatched.length > 0) {
    throw new AppError('media_type_mismatch', undefined, mismatched.map((item) => ({ media_id: item.media_id, type: item.type, kind: found.get(item.media_id)?.kind })));
  }
  // The caller stores held messages for these files: the media worker uploads them once committed.
  signalWork(db, 'media');
  return found;
}

/** The message row's media fields: caption or label as content, the file, the caption beside `metadata`, and the upload hold. */
export function mediaMessageFields(item: MediaMessageInput, media: Map<string, Media>, metadata: NewMessage['metadata']): Pick<NewMessage, 'content' | 'media_id' | 'media' | 'metadata' | 'hold_reason'> {
  const file = media.get(item.media_id);
  if (!file) throw new AppError('media_not_found', undefined, { media_ids: [item.media_id] });
  return {
    content: item.caption ?? mediaLabel(file.kind, file.voice),
    media_id: file.id,
    media: JSON.stringify(mediaSnapshot(file, item.filename)),
    metadata: { ...(typeof metadata === 'object' ? metadata : {}), ...(item.caption !== undefined ? { caption: item.caption } : {}) },
    hold_reason: MEDIA_UPLOAD_HOLD,
  };
}
