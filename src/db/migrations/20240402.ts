/**
 * Media: files customers send and agents attach. `media` holds one row per upload or inbound file
 * (its bytes live in storage under `storage_key`, the sha256, so equal bytes are stored once) and,
 * for inbound files, the download queue (`downloading` rows with their next attempt).
 * `media_uploads` remembers the id Meta gave a file per sending number, for reuse until it expires.
 * `media_deletions` lists storage objects no row needs any more, for the media worker to remove.
 * A message points at its file (`media_id`) and carries the file as the API shows it (`media`).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE media (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('image', 'video', 'audio', 'document', 'sticker')),
      mime_type text NOT NULL,
      size bigint,
      sha256 text,
      filename text,
      voice boolean NOT NULL DEFAULT false,
      status text NOT NULL DEFAULT 'ready' CHECK (status IN ('ready', 'downloading', 'failed')),
      storage_key text,
      uploaded_by uuid REFERENCES users(id) ON DELETE SET NULL,
      meta_media_id text,
      phone_number_id text,
      expected_sha256 text,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      leased_until timestamptz,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX media_downloads_due ON media (next_attempt_at) WHERE status = 'downloading';
    CREATE INDEX media_storage_key ON media (storage_key) WHERE storage_key IS NOT NULL;

    CREATE TABLE media_uploads (
      media_id uuid NOT NULL REFERENCES media(id) ON DELETE CASCADE,
      phone_number_id text NOT NULL,
      meta_media_id text NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (media_id, phone_number_id)
    );

    CREATE TABLE media_deletions (
      storage_key text PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    ALTER TABLE messages ADD COLUMN media_id uuid REFERENCES media(id) ON DELETE SET NULL;
    ALTER TABLE messages ADD COLUMN media jsonb;
    ALTER TABLE messages ADD COLUMN wire_media_id text;
    CREATE INDEX messages_media ON messages (media_id) WHERE media_id IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX messages_media;
    ALTER TABLE messages DROP COLUMN wire_media_id;
    ALTER TABLE messages DROP COLUMN media;
    ALTER TABLE messages DROP COLUMN media_id;
    DROP TABLE media_deletions;
    DROP TABLE media_uploads;
    DROP TABLE media;
  `.execute(db);
}
