/**
 * Media rows, the inbound download queue, Meta's ids per sending number, and storage objects
 * waiting to be removed. Other modules read a file with `getMedia` (templates use it for header
 * media).
 */
import { sql } from 'kysely';
import type { JsonObject, Media, MediaKind, Message } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { isUuid } from '../shared/ids.js';

export interface NewStoredMedia {
  readonly kind: MediaKind;
  readonly mimeType: string;
  readonly size: number;
  readonly sha256: string;
  readonly filename: string | null;
  readonly uploadedBy: string | null;
}

export interface NewInboundMedia {
  readonly kind: MediaKind;
  readonly mimeType: string;
  readonly filename: string | null;
  readonly voice: boolean;
  readonly metaMediaId: string;
  readonly phoneNumberId: string | null;
  readonly expectedSha256: string | null;
}

export class MediaRepository {
  constructor(private readonly db: Executor) {}

  /**
   * A media file by its FlowChat id; undefined for an unknown (or malformed) id.
   *
   * @example
   * const media = await new MediaRepository(db).getMedia(id);
   * if (media?.status === 'ready') … media.kind, media.mime_type, media.storage_key
   */
  async getMedia(id: string): Promise<Media | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findByIds(ids: readonly string[]): Promise<Media[]> {
    const valid = [...new Set(ids)].filter(isUuid);
    if (valid.length === 0) return [];
    return this.db.selectFrom('media').selectAll().where('id', 'in', valid).execute();
  }

  async insertStored(media: NewStoredMedia): Promise<Media> {
    return this.db
      .insertInto('media')
      .values({ kind: media.kind, mime_type: media.mimeType, size: media.size, sha256: media.sha256, storage_key: media.sha256, filename: media.filename, uploaded_by: media.uploadedBy, status: 'ready' })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Inbound files to download, due at once; in the order given. */
  async insertInbound(rows: readonly NewInboundMedia[]): Promise<Media[]> {
    if (rows.length === 0) return [];
    const inserted = await this.db
      .insertInto('media')
      .values(rows.map((row) => ({
        kind: row.kind,
        mime_type: row.mimeType,
        filename: row.filename,
        voice: row.voice,
        status: 'downloading' as const,
        meta_media_id: row.metaMediaId,
        phone_number_id: row.phoneNumberId,
        expected_sha256: row.expectedSha256,
        next_attempt_at: sql<Date>`now()`,
      })))
      .returningAll()
      .execute();
    return inserted;
  }

  /** Points messages at their files and stores each file as the message shows it. */
  async attach(pairs: ReadonlyArray<{ readonly messageId: string; readonly mediaId: string; readonly snapshot: JsonObject }>): Promise<Message[]> {
    if (pairs.length === 0) return [];
    const { rows } = await sql<Message>`
      UPDATE messages m SET media_id = v.media_id, media = v.snapshot
      FROM jsonb_to_recordset(${JSON.stringify(pairs.map((pair) => ({ message_id: pair.messageId, media_id: pair.mediaId, snapshot: pair.snapshot })))}::jsonb)
        AS v(message_id uuid, media_id uuid, snapshot jsonb)
      WHERE m.id = v.message_id
      RETURNING m.*
    `.execute(this.db);
    return rows;
  }

  /** Leases up to `limit` due downloads (every process may take some; a crashed one's lease runs out). */
  async claimDownloads(limit: number, leaseMs: number): Promise<Media[]> {
    const { rows } = await sql<Media>`
      UPDATE media SET leased_until = now() + ${`${leaseMs} milliseconds`}::interval, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM media
        WHERE status = 'downloading' AND next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())
        ORDER BY next_attempt_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING *
    `.execute(this.db);
    return rows;
  }

  async markReady(id: string, file: { readonly size: number; readonly sha256: string; readonly mimeType: string }): Promise<Media | undefined> {
    return this.db
      .updateTable('media')
      .set({ status: 'ready', size: file.size, sha256: file.sha256, storage_key: file.sha256, mime_type: file.mimeType, leased_until: null, next_attempt_at: null, last_error: null, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('status', '=', 'downloading')
      .returningAll()
      .executeTakeFirst();
  }

  /** Another try after `delayMs`, or `failed` when the file has been tried for `windowSeconds`. */
  async retryOrFail(id: string, delayMs: number, windowSeconds: number, error: string): Promise<Media | undefined> {
    const { rows } = await sql<Media>`
      UPDATE media SET
        status = CASE WHEN created_at + ${`${windowSeconds} seconds`}::interval < now() + ${`${delayMs} milliseconds`}::interval THEN 'failed' ELSE 'downloading' END,
        next_attempt_at = now() + ${`${delayMs} milliseconds`}::interval,
        leased_until = NULL, last_error = ${error.slice(0, 500)}, updated_at = now()
      WHERE id = ${id} AND status = 'downloading'
      RETURNING *
    `.execute(this.db);
    return rows[0];
  }

  async fail(id: string, error: string): Promise<Media | undefined> {
    return this.db
      .updateTable('media')
      .set({ status: 'failed', leased_until: null, next_attempt_at: null, last_error: error.slice(0, 500), updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('status', '=', 'downloading')
      .returningAll()
      .executeTakeFirst();
  }

  /** Copies a file's state onto the messages that carry it (keeping each message's own filename). */
  async refreshMessages(media: Media): Promise<Message[]> {
    const patch = { status: media.status, size: media.size, sha256: media.sha256, mime_type: media.mime_type };
    const { rows } = await sql<Message>`
      UPDATE messages SET media = coalesce(media, '{}'::jsonb) || ${JSON.stringify(patch)}::jsonb, updated_at = now()
      WHERE media_id = ${media.id}
      RETURNING *
    `.execute(this.db);
    return rows;
  }

  /** The id Meta gave this file for `phoneNumberId`, while it stays valid for at least a day. */
  async uploadedId(mediaId: string, phoneNumberId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('media_uploads')
      .select('meta_media_id')
      .where('media_id', '=', mediaId)
      .where('phone_number_id', '=', phoneNumberId)
      .where('expires_at', '>', sql<Date>`now() + interval '1 day'`)
      .executeTakeFirst();
    return row?.meta_media_id;
  }

  async rememberUpload(mediaId: string, phoneNumberId: string, metaMediaId: string, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('media_uploads')
      .values({ media_id: mediaId, phone_number_id: phoneNumberId, meta_media_id: metaMediaId, expires_at: expiresAt })
      .onConflict((conflict) => conflict.columns(['media_id', 'phone_number_id']).doUpdateSet({ meta_media_id: metaMediaId, expires_at: expiresAt }))
      .execute();
  }

  /**
   * Before a contact is deleted: removes the files only its messages carry, and queues their
   * stored bytes for deletion where no other file shares them. Returns how many objects were queued.
   */
  async releaseContact(contactId: string): Promise<number> {
    if (!isUuid(contactId)) return 0;
    // The contact's messages first, in id order as the webhook processor locks them: the files'
    // ON DELETE SET NULL and then the contact's cascade would otherwise lock them in two rounds,
    // and a processor holding one of the second round while waiting for one of the first deadlocks.
    await sql`SELECT 1 FROM messages WHERE contact_id = ${contactId} ORDER BY id FOR UPDATE`.execute(this.db);
    const { rows: removed } = await sql<{ storage_key: string | null }>`
      DELETE FROM media f
      WHERE f.id IN (SELECT DISTINCT media_id FROM messages WHERE contact_id = ${contactId} AND media_id IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM messages o WHERE o.media_id = f.id AND o.contact_id <> ${contactId})
      RETURNING f.storage_key
    `.execute(this.db);
    const keys = [...new Set(removed.flatMap((row) => (row.storage_key ? [row.storage_key] : [])))];
    if (keys.length === 0) return 0;
    const { rows } = await sql<{ storage_key: string }>`
      INSERT INTO media_deletions (storage_key)
      SELECT k FROM unnest(${keys}::text[]) AS k
      WHERE NOT EXISTS (SELECT 1 FROM media r WHERE r.storage_key = k)
      ON CONFLICT DO NOTHING
      RETURNING storage_key
    `.execute(this.db);
    return rows.length;
  }

  /** Storage objects queued for deletion that no file uses (again) now; the ones used again are dropped from the queue. */
  async dueDeletions(limit: number): Promise<string[]> {
    await sql`DELETE FROM media_deletions d WHERE EXISTS (SELECT 1 FROM media r WHERE r.storage_key = d.storage_key)`.execute(this.db);
    const rows = await this.db.selectFrom('media_deletions').select('storage_key').orderBy('created_at').limit(limit).execute();
    return rows.map((row) => row.storage_key);
  }

  async deletionDone(key: string): Promise<void> {
    await this.db.deleteFrom('media_deletions').where('storage_key', '=', key).execute();
  }
}
