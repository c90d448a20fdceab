/**
 * The sandbox's simulated customer can send a file: one uploaded with `POST /api/v1/media`, posted
 * as Meta would post it (its "Meta id" names the FlowChat file), then downloaded through the same
 * path as a real inbound file.
 */
import type { Executor } from '../db/transaction.js';
import { AppError } from '../shared/errors.js';
import { MediaRepository } from './media.repository.js';
import { SANDBOX_MEDIA_PREFIX } from './meta-media-client.js';

export interface SandboxMediaBody {
  readonly type: string;
  readonly body: Record<string, unknown>;
}

export async function sandboxMediaBody(db: Executor, mediaId: string, caption: string | undefined, voice: boolean): Promise<SandboxMediaBody> {
  const media = await new MediaRepository(db).getMedia(mediaId);
  if (!media || media.status !== 'ready' || !media.sha256) throw new AppError('media_not_found', undefined, { media_ids: [mediaId] });
  return {
    type: media.kind,
    body: {
      id: `${SANDBOX_MEDIA_PREFIX}${media.id}`,
      mime_type: media.mime_type,
      sha256: Buffer.from(media.sha256, 'hex').toString('base64'),
      ...(caption && media.kind !== 'audio' && media.kind !== 'sticker' ? { caption } : {}),
      ...(media.kind === 'document' && media.filename ? { filename: media.filename } : {}),
      ...(media.kind === 'audio' && voice ? { voice: true } : {}),
    },
  };
}
