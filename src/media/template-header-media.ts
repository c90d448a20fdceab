/**
 * Template header media given by FlowChat media id, for the template code
 * (src/templates/header-media.ts): the kind of each file when a send is checked, and Meta's id for
 * it (uploaded once per number) when the message goes out.
 */
import type { Executor } from '../db/transaction.js';
import type { HeaderMediaStore } from '../templates/header-media.js';
import type { CredentialResolver } from './channel-credentials.js';
import { MediaRepository } from './media.repository.js';
import type { MetaUploads } from './meta-uploads.js';

export function templateHeaderMedia(db: Executor, uploads: MetaUploads, credentials: CredentialResolver): HeaderMediaStore {
  return {
    async kindsOf(executor, ids) {
      const files = await new MediaRepository(executor).findByIds(ids);
      return new Map(files.filter((media) => media.status === 'ready').map((media) => [media.id, media.kind]));
    },
    async metaIdFor(id, channelId) {
      const media = await new MediaRepository(db).getMedia(id);
      if (!media?.storage_key || media.status !== 'ready') throw new Error(`media ${id} is not a ready file`);
      return uploads.idFor({ ...media, storage_key: media.storage_key }, null, credentials.forChannel(channelId));
    },
  };
}
