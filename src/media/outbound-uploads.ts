/**
 * Outbound media messages are stored held (`hold_reason = 'media_upload'`), so the sender cannot
 * claim them before Meta has the file. This step uploads the file once per sending number (or
 * reuses the id Meta gave it, valid 30 days), writes that id on the message and releases it to the
 * sender. The upload is a step of its own, before any claim: a failed upload is retried with
 * growing waits (for a day, then the message fails), and the message itself is still sent at most
 * once, by the sender alone.
 */
import { sql } from 'kysely';
import { OutboxRepository } from '../db/repositories/outbox.repository.js';
import { transaction, type Executor } from '../db/transaction.js';
import { recordEvent } from '../events/record-event.js';
import { presentMessage } from '../resources/message.resource.js';
import type { Logger } from '../shared/logger.js';
import type { CredentialResolver } from './channel-credentials.js';
import { MediaRepository } from './media.repository.js';
import { MetaRefusedError } from './meta-media-client.js';
import type { MetaUploads } from './meta-uploads.js';

export const MEDIA_UPLOAD_HOLD = 'media_upload';

const leaseMs = 15 * 60_000;
const giveUpAfterMs = 86_400_000;
const batchSize = 8;

interface HeldMessage {
  readonly id: string;
  readonly media_id: string | null;
  readonly created_at: Date;
  readonly filename: string | null;
  readonly channel_id: string;
}

/** About twice the wait before, by the message's age: 2 s, 4 s, … up to 10 minutes. */
function backoffMs(ageMs: number): number {
  return Math.min(600_000, Math.max(2_000, ageMs));
}

export class OutboundUploads {
  constructor(
    private readonly db: Executor,
    private readonly uploads: MetaUploads,
    private readonly credentials: CredentialResolver,
    private readonly wakeSender: () => void,
    private readonly logger: Logger,
  ) {}

  /** Uploads for the held messages that are due; returns how many were handled. */
  async runDue(): Promise<number> {
    const { rows } = await sql<HeldMessage>`
      UPDATE messages m SET not_before = now() + ${`${leaseMs} milliseconds`}::interval
      WHERE m.id IN (
        SELECT id FROM messages
        WHERE hold_reason = ${MEDIA_UPLOAD_HOLD} AND status = 'pending' AND (not_before IS NULL OR not_before <= now())
        ORDER BY created_at
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING m.id, m.media_id, m.created_at, m.media->>'filename' AS filename, m.channel_id
    `.execute(this.db);
    for (const message of rows) await this.prepare(message);
    return rows.length;
  }

  private async prepare(message: HeldMessage): Promise<void> {
    const repository = new MediaRepository(this.db);
    const credentials = this.credentials.forChannel(message.channel_id);
    try {
      const media = message.media_id ? await repository.getMedia(message.media_id) : undefined;
      if (!media?.storage_key || media.status !== 'ready') throw new MetaRefusedError('The message’s file is gone', undefined);
      const metaId = await this.uploads.idFor({ ...media, storage_key: media.storage_key }, message.filename, credentials);
      await this.db
        .updateTable('messages')
        .set({ wire_media_id: metaId, hold_reason: null, not_before: null, send_error: null })
        .where('id', '=', message.id)
        .where('hold_reason', '=', MEDIA_UPLOAD_HOLD)
        .where('status', '=', 'pending')
        .execute();
      this.wakeSender();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const ageMs = Date.now() - message.created_at.getTime();
      this.logger.warn({ messageId: message.id, reason }, 'a media upload to WhatsApp failed');
      if (error instanceof MetaRefusedError || ageMs > giveUpAfterMs) {
        await this.fail(message.id, reason);
        return;
      }
      await this.db
        .updateTable('messages')
        .set({ not_before: new Date(Date.now() + backoffMs(ageMs)), send_error: reason.slice(0, 500) })
        .where('id', '=', message.id)
        .where('hold_reason', '=', MEDIA_UPLOAD_HOLD)
        .execute();
    }
  }

  private async fail(messageId: string, reason: string): Promise<void> {
    await transaction(this.db, async (trx) => {
      const failed = await new OutboxRepository(trx).fail(messageId, { code: 'media_upload_failed', message: reason });
      if (failed) await recordEvent(trx, 'message.updated', { ...presentMessage(failed) });
    });
  }
}
