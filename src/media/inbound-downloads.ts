/**
 * Fetches inbound files: Meta's URL for the media id, then the bytes at once, checked against the
 * sha256 the webhook gave (hex or base64), stored, and announced as `message.updated` with
 * `media.status: "ready"`. A failure is tried again with growing waits, across restarts (the queue
 * is the `media` table), until the retry window has passed; then the file is `failed`. A file larger
 * than its kind allows is not downloaded.
 */
import { rm } from 'node:fs/promises';
import type { MediaConfig } from '../config/env.js';
import type { Media } from '../db/schema.js';
import { transaction, type Executor } from '../db/transaction.js';
import { recordEvents } from '../events/record-event.js';
import { presentMessage } from '../resources/message.resource.js';
import type { Logger } from '../shared/logger.js';
import { retryDelayMs } from '../outbound-webhooks/retry-schedule.js';
import type { CredentialResolver } from './channel-credentials.js';
import { limitForKind } from './media-kinds.js';
import type { MediaStorage } from './media-storage.js';
import { MediaRepository } from './media.repository.js';
import { MetaRefusedError, RemoteTooLargeError, type MetaMediaClient } from './meta-media-client.js';
import { normalizeSha256, spool, SpoolLimitError } from './spool.js';

const batchSize = 4;
const leaseMs = 10 * 60_000;

/** A download that no retry can fix. */
class Unfetchable extends Error {}

export class InboundDownloads {
  constructor(
    private readonly db: Executor,
    private readonly storage: MediaStorage,
    private readonly client: MetaMediaClient,
    private readonly credentials: CredentialResolver,
    private readonly config: MediaConfig,
    private readonly logger: Logger,
  ) {}

  /** Downloads what is due now; returns how many were tried (a full batch: call again). */
  async runDue(): Promise<number> {
    const claimed = await new MediaRepository(this.db).claimDownloads(batchSize, leaseMs);
    await Promise.all(claimed.map((media) => this.download(media)));
    return claimed.length;
  }

  private async download(media: Media): Promise<void> {
    try {
      await this.fetchAndStore(media);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.settle(async (repository) => {
        if (error instanceof Unfetchable || error instanceof RemoteTooLargeError || (error instanceof MetaRefusedError && error.code === 100)) return repository.fail(media.id, reason);
        return repository.retryOrFail(media.id, retryDelayMs(media.attempts, { baseMs: this.config.retryBaseMs, maxMs: this.config.retryMaxMs }), this.config.retryWindowSeconds, reason);
      }).catch((settleError: unknown) => this.logger.warn({ err: settleError, mediaId: media.id }, 'a media download could not be settled; its lease runs out and it is tried again'));
      this.logger.warn({ mediaId: media.id, attempt: media.attempts, reason }, 'an inbound media download failed');
    }
  }

  private async fetchAndStore(media: Media): Promise<void> {
    if (!media.meta_media_id) throw new Unfetchable('The message carried no media id');
    const limit = limitForKind(media.kind);
    const remote = await this.client.download(media.meta_media_id, this.credentials.forNumber(media.phone_number_id), limit);
    let spooled;
    try {
      spooled = await spool(remote.body, this.storage.spoolDir, limit);
    } catch (error) {
      if (error instanceof SpoolLimitError) throw new Unfetchable(`The file is larger than WhatsApp allows for a ${media.kind} (${limit} bytes)`);
      throw error;
    }
    try {
      const expected = normalizeSha256(media.expected_sha256) ?? normalizeSha256(remote.sha256);
      if (expected !== undefined && expected !== spooled.sha256) throw new Error('The downloaded bytes do not match the sha256 WhatsApp gave');
      await this.storage.put(spooled.sha256, spooled.path, spooled.size, media.mime_type);
    } finally {
      await rm(spooled.path, { force: true });
    }
    const { size, sha256 } = spooled;
    await this.settle((repository) => repository.markReady(media.id, { size, sha256, mimeType: media.mime_type }));
  }

  /** Applies a change to the file and announces the messages that carry it, in one transaction. */
  private async settle(change: (repository: MediaRepository) => Promise<Media | undefined>): Promise<void> {
    await transaction(this.db, async (trx) => {
      const repository = new MediaRepository(trx);
      const changed = await change(repository);
      if (!changed || changed.status === 'downloading') return;
      const messages = await repository.refreshMessages(changed);
      await recordEvents(trx, 'message.updated', messages.map((message) => ({ ...presentMessage(message) })));
    });
  }
}
