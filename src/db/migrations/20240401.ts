/**
 * Channels: several WhatsApp numbers. A `channels` row per number, with its secrets encrypted
 * (src/channels/channel-secrets.ts); the environment channel (the `WHATSAPP_*` number, or the
 * sandbox) is one row with a fixed id, so every message, contact and campaign stored before this
 * migration belongs to it. Members say which agents work a number's conversations.
 *
 * Messages, contacts (the conversation: the channel the contact last wrote to) and campaigns get
 * `channel_id`. Messages keep the environment channel as their default, so a row inserted without
 * one goes out as before; no foreign key on messages or contacts, as channels are never removed
 * (a deleted one keeps `deleted_at`) and the check would cost every insert. The pacer and the
 * sender's pause become one row per channel, and the outbox index leads with the channel, as each
 * channel's sender claims only its own messages. The conversations index carries the channel, so
 * an agent's list (their channels only) skips other channels' conversations without heap visits.
 */
import { sql, type Kysely } from 'kysely';
import { keyAndName } from './columns-sql.js';

const envChannel = sql.lit('00000000-0000-4000-8000-000000000001');

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE channels (
      ${keyAndName},
      type TEXT NOT NULL CHECK (type IN ('cloud_api', 'sandbox')),
      source TEXT NOT NULL CHECK (source IN ('api', 'env')),
      phone_number_id TEXT NOT NULL,
      display_phone_number TEXT,
      business_account_id TEXT,
      rate_limit INTEGER CHECK (rate_limit BETWEEN 1 AND 100000),
      access_token_ciphertext TEXT,
      app_secret_ciphertext TEXT,
      verify_token_ciphertext TEXT,
      deleted_at TIMESTAMPTZ(3),
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX channels_phone_number_id_key ON channels (phone_number_id) WHERE deleted_at IS NULL AND source = 'api';
    INSERT INTO channels (id, name, type, source, phone_number_id, display_phone_number, created_at)
      VALUES (${envChannel}, 'WhatsApp', 'sandbox', 'env', 'sandbox', '15550000000', '2024-04-01T00:00:00Z');

    CREATE TABLE channel_members (
      channel_id UUID NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
      user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      PRIMARY KEY (channel_id, user_id)
    );
    CREATE INDEX channel_members_user ON channel_members (user_id);

    ALTER TABLE messages ADD COLUMN channel_id UUID NOT NULL DEFAULT ${envChannel};
    DROP INDEX messages_outbox;
    CREATE INDEX messages_outbox ON messages (channel_id, (campaign_id IS NOT NULL), created_at, id)
      WHERE status = 'pending' AND direction = 'outbound' AND sending_at IS NULL AND hold_reason IS NULL;

    ALTER TABLE contacts ADD COLUMN channel_id UUID DEFAULT ${envChannel};
    ALTER TABLE contacts ALTER COLUMN channel_id DROP DEFAULT;
    DROP INDEX contacts_conversations;
    CREATE INDEX contacts_conversations ON contacts (last_message_at DESC, id DESC)
      INCLUDE (conversation_status, assignee_id, tags, channel_id) WHERE last_message_at IS NOT NULL;

    ALTER TABLE campaigns ADD COLUMN channel_id UUID NOT NULL DEFAULT ${envChannel} REFERENCES channels(id);

    ALTER TABLE whatsapp_pacer DROP COLUMN id, ADD COLUMN channel_id UUID NOT NULL DEFAULT ${envChannel};
    ALTER TABLE whatsapp_pacer ALTER COLUMN channel_id DROP DEFAULT, ADD PRIMARY KEY (channel_id);
    ALTER TABLE whatsapp_sender_state DROP COLUMN id, ADD COLUMN channel_id UUID NOT NULL DEFAULT ${envChannel};
    ALTER TABLE whatsapp_sender_state ALTER COLUMN channel_id DROP DEFAULT, ADD PRIMARY KEY (channel_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM whatsapp_sender_state WHERE channel_id <> ${envChannel};
    ALTER TABLE whatsapp_sender_state DROP COLUMN channel_id, ADD COLUMN id SMALLINT PRIMARY KEY DEFAULT 1 CHECK (id = 1);
    DELETE FROM whatsapp_pacer WHERE channel_id <> ${envChannel};
    ALTER TABLE whatsapp_pacer DROP COLUMN channel_id, ADD COLUMN id SMALLINT PRIMARY KEY DEFAULT 1 CHECK (id = 1);
    ALTER TABLE campaigns DROP COLUMN channel_id;
    DROP INDEX contacts_conversations;
    ALTER TABLE contacts DROP COLUMN channel_id;
    CREATE INDEX contacts_conversations ON contacts (last_message_at DESC, id DESC)
      INCLUDE (conversation_status, assignee_id, tags) WHERE last_message_at IS NOT NULL;
    DROP INDEX messages_outbox;
    ALTER TABLE messages DROP COLUMN channel_id;
    CREATE INDEX messages_outbox ON messages ((campaign_id IS NOT NULL), created_at, id)
      WHERE status = 'pending' AND direction = 'outbound' AND sending_at IS NULL AND hold_reason IS NULL;
    DROP TABLE channel_members;
    DROP TABLE channels;
  `.execute(db);
}
