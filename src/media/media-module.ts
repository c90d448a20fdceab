/**
 * Media assembled from configuration: the store (folder or bucket), the upload and serving
 * service, the worker that downloads inbound files, uploads outbound ones to Meta and removes
 * unused bytes, and the template header media store.
 */
import path from 'node:path';
import type { Config } from '../config/env.js';
import type { Worker } from '../worker.js';
import type { Executor } from '../db/transaction.js';
import type { Logger } from '../shared/logger.js';
import { directoryCredentials } from './channel-credentials.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import { FolderStorage } from './folder-storage.js';
import { InboundDownloads } from './inbound-downloads.js';
import type { MediaStorage } from './media-storage.js';
import { MediaWorker } from './media-worker.js';
import { MediaService } from './media.service.js';
import { MetaMediaClient } from './meta-media-client.js';
import { MetaUploads } from './meta-uploads.js';
import { OutboundUploads } from './outbound-uploads.js';
import { S3Storage } from './s3-storage.js';
import { templateHeaderMedia } from './template-header-media.js';
import type { HeaderMediaStore } from '../templates/header-media.js';

export interface MediaModule {
  readonly service: MediaService;
  readonly storage: MediaStorage;
  readonly worker: MediaWorker;
  readonly workers: readonly Worker[];
  /** Template header media by FlowChat media id (src/templates/header-media.ts). */
  readonly headerMedia: HeaderMediaStore;
}

export function createStorage(config: Config['media']): MediaStorage {
  if (!config.s3) return new FolderStorage(path.resolve(config.dir));
  return new S3Storage({ ...config.s3, spoolDir: path.resolve(config.dir, '.spool') });
}

export function createMedia(config: Config, logger: Logger, db: Executor, channels: ChannelDirectory, wakeSender: () => void): MediaModule {
  const storage = createStorage(config.media);
  const credentials = directoryCredentials(channels);
  const client = new MetaMediaClient(db, storage);
  const downloads = new InboundDownloads(db, storage, client, credentials, config.media, logger);
  const metaUploads = new MetaUploads(db, client);
  const uploads = new OutboundUploads(db, metaUploads, credentials, wakeSender, logger);
  const worker = new MediaWorker(db, storage, downloads, uploads, logger, config.media.pollMs);
  return { service: new MediaService(db, storage), storage, worker, workers: [worker], headerMedia: templateHeaderMedia(db, metaUploads, credentials) };
}
