/**
 * The id Meta knows a FlowChat file by on one sending number: the one it gave before (Meta keeps
 * an upload 30 days; FlowChat reuses it while a day of that is left) or a fresh upload, remembered
 * per number. Media messages and template header media both ask here.
 */
import type { Media } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import type { ChannelCredentials } from './channel-credentials.js';
import { MediaRepository } from './media.repository.js';
import type { MetaMediaClient } from './meta-media-client.js';

const metaKeepsMs = 30 * 86_400_000;

export class MetaUploads {
  constructor(
    private readonly db: Executor,
    private readonly client: MetaMediaClient,
  ) {}

  async idFor(media: Media & { readonly storage_key: string }, filename: string | null, credentials: ChannelCredentials): Promise<string> {
    const repository = new MediaRepository(this.db);
    const known = await repository.uploadedId(media.id, credentials.phoneNumberId);
    if (known) return known;
    const metaId = await this.client.upload(media.storage_key, media.mime_type, filename ?? media.filename ?? media.kind, credentials, media.id);
    await repository.rememberUpload(media.id, credentials.phoneNumberId, metaId, new Date(Date.now() + metaKeepsMs));
    return metaId;
  }
}
