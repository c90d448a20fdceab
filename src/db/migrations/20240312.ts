/**
 * Feature updates: what the product needs on top of the seed's schema. Timestamps that serve as
 * keyset cursors become `timestamptz(3)`, so the JavaScript `Date` a cursor is built from holds
 * the exact stored value on PostgreSQL as on PGlite. Per-contact counters are kept by
 * statement-level triggers, so every insert path (one reply or a 100 k campaign) keeps them true
 * with one extra statement, not one per row.
 */
import { sql, type Kysely } from 'kysely';
import { transitionTrigger } from './trigger-sql.js';

/** The counters' insert trigger body over the rows of `source` (20240316 narrows it to fewer rows). */
export function countersOnInsert(source: string): string {
  return `
      UPDATE contacts c SET
        message_count = c.message_count + n.total,
        unread_count = c.unread_count + n.unread,
        last_message_at = GREATEST(c.last_message_at, n.last_at),
        last_inbound_at = GREATEST(c.last_inbound_at, n.last_inbound)
      FROM (
        SELECT contact_id, count(*) AS total,
               count(*) FILTER (WHERE direction = 'inbound' AND status = 'received') AS unread,
               max(created_at) AS last_at,
               max(created_at) FILTER (WHERE direction = 'inbound') AS last_inbound
        FROM ${source} GROUP BY contact_id
      ) n
      WHERE c.id = n.contact_id;`;
}

const countersOnDelete = `
      UPDATE contacts c SET
        message_count = GREATEST(c.message_count - n.total, 0),
        unread_count = GREATEST(c.unread_count - n.unread, 0)
      FROM (
        SELECT contact_id, count(*) AS total,
               count(*) FILTER (WHERE direction = 'inbound' AND status = 'received') AS unread
        FROM old_rows GROUP BY contact_id
      ) n
      WHERE c.id = n.contact_id;`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const trgm = await sql<{ available: boolean }>`
    SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') AS available
  `.execute(db);
  if (trgm.rows[0]?.available) await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  await sql`
    CREATE TABLE app_settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    INSERT INTO app_settings (key, value) VALUES ('cursor_secret', encode(gen_random_uuid()::text::bytea, 'hex') || md5(random()::text));

    UPDATE users SET role = 'agent' WHERE role NOT IN ('admin', 'agent');
    ALTER TABLE users RENAME COLUMN password TO password_hash;
    ALTER TABLE users
      ALTER COLUMN role SET DEFAULT 'agent',
      ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'agent')),
      ALTER COLUMN created_at TYPE TIMESTAMPTZ(3), ALTER COLUMN created_at SET NOT NULL,
      ALTER COLUMN updated_at TYPE TIMESTAMPTZ(3), ALTER COLUMN updated_at SET NOT NULL;
    CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

    UPDATE contacts SET tags = '{}' WHERE tags IS NULL;
    UPDATE contacts SET metadata = '{}' WHERE metadata IS NULL;
    ALTER TABLE contacts
      ALTER COLUMN phone DROP NOT NULL,
      ALTER COLUMN name DROP NOT NULL,
      ALTER COLUMN tags SET DEFAULT '{}', ALTER COLUMN tags SET NOT NULL,
      ALTER COLUMN metadata SET NOT NULL,
      ALTER COLUMN created_at TYPE TIMESTAMPTZ(3), ALTER COLUMN created_at SET NOT NULL,
      ALTER COLUMN updated_at TYPE TIMESTAMPTZ(3), ALTER COLUMN updated_at SET NOT NULL,
      ADD COLUMN wa_user_id TEXT UNIQUE,
      ADD COLUMN username TEXT,
      ADD COLUMN last_inbound_at TIMESTAMPTZ(3),
      ADD COLUMN last_message_at TIMESTAMPTZ(3),
      ADD COLUMN opted_out_at TIMESTAMPTZ(3),
      ADD COLUMN opted_out_source TEXT,
      ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0,
      ADD COLUMN unread_count INTEGER NOT NULL DEFAULT 0,
      ADD COLUMN conversation_status TEXT NOT NULL DEFAULT 'open',
      ADD COLUMN assignee_id UUID REFERENCES users(id) ON DELETE SET NULL,
      ADD COLUMN sort_name TEXT GENERATED ALWAYS AS (lower(coalesce(name, phone, username, ''))) STORED,
      ADD CONSTRAINT contacts_identity_check CHECK (phone IS NOT NULL OR wa_user_id IS NOT NULL),
      ADD CONSTRAINT contacts_name_check CHECK (name IS NULL OR btrim(name) <> ''),
      ADD CONSTRAINT contacts_conversation_status_check CHECK (conversation_status IN ('open', 'closed')),
      ADD CONSTRAINT contacts_opted_out_source_check CHECK (opted_out_source IS NULL OR opted_out_source IN ('agent', 'keyword', 'api', 'import', 'whatsapp'));
    CREATE INDEX contacts_created_keyset ON contacts (created_at, id);
    CREATE INDEX contacts_name_keyset ON contacts (sort_name, id);
    CREATE INDEX contacts_last_message_keyset ON contacts (last_message_at, id);
    CREATE INDEX contacts_message_count_keyset ON contacts (message_count, id);
    CREATE INDEX contacts_tags_gin ON contacts USING gin (tags);
    CREATE INDEX contacts_conversations ON contacts (last_message_at DESC, id DESC) WHERE last_message_at IS NOT NULL;

    ALTER TABLE messages RENAME COLUMN to_contact_id TO contact_id;
    DELETE FROM messages WHERE contact_id IS NULL;
    UPDATE messages SET metadata = '{}' WHERE metadata IS NULL;
    ALTER TABLE messages
      DROP CONSTRAINT messages_to_contact_id_fkey,
      DROP CONSTRAINT messages_from_user_id_fkey,
      ADD CONSTRAINT messages_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE CASCADE,
      ADD CONSTRAINT messages_from_user_id_fkey FOREIGN KEY (from_user_id) REFERENCES users(id) ON DELETE SET NULL,
      ALTER COLUMN contact_id SET NOT NULL,
      ALTER COLUMN content DROP NOT NULL,
      ALTER COLUMN metadata SET NOT NULL,
      ALTER COLUMN created_at TYPE TIMESTAMPTZ(3), ALTER COLUMN created_at SET NOT NULL,
      ALTER COLUMN updated_at TYPE TIMESTAMPTZ(3), ALTER COLUMN updated_at SET NOT NULL,
      ADD COLUMN direction TEXT NOT NULL DEFAULT 'outbound',
      ADD COLUMN external_id TEXT UNIQUE,
      ADD COLUMN template JSONB,
      ADD COLUMN campaign_id UUID,
      ADD COLUMN error_code TEXT,
      ADD COLUMN error_title TEXT,
      ADD COLUMN error_message TEXT,
      ADD COLUMN sent_at TIMESTAMPTZ(3),
      ADD COLUMN delivered_at TIMESTAMPTZ(3),
      ADD COLUMN read_at TIMESTAMPTZ(3),
      ADD COLUMN failed_at TIMESTAMPTZ(3),
      ADD CONSTRAINT messages_direction_check CHECK (direction IN ('inbound', 'outbound')),
      ADD CONSTRAINT messages_status_check CHECK (status IN ('pending', 'sent', 'delivered', 'read', 'failed', 'canceled', 'received'));
    DROP INDEX idx_messages_contact_created;
    CREATE INDEX messages_thread_keyset ON messages (contact_id, created_at DESC, id DESC);
    CREATE INDEX messages_campaign_status ON messages (campaign_id, status) WHERE campaign_id IS NOT NULL;

    CREATE TABLE message_status_events (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      message_id UUID REFERENCES messages(id) ON DELETE CASCADE,
      external_id TEXT,
      status TEXT NOT NULL,
      occurred_at TIMESTAMPTZ(3) NOT NULL,
      error JSONB,
      payload JSONB NOT NULL DEFAULT '{}',
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX message_status_events_message ON message_status_events (message_id, id);
    CREATE INDEX message_status_events_parked ON message_status_events (external_id) WHERE message_id IS NULL;

    DELETE FROM sessions WHERE user_id IS NULL;
    ALTER TABLE sessions RENAME COLUMN token TO token_hash;
    ALTER TABLE sessions
      DROP CONSTRAINT sessions_user_id_fkey,
      ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
      ALTER COLUMN user_id SET NOT NULL,
      ALTER COLUMN expires_at TYPE TIMESTAMPTZ(3),
      ALTER COLUMN created_at TYPE TIMESTAMPTZ(3), ALTER COLUMN created_at SET NOT NULL,
      ADD COLUMN last_seen_at TIMESTAMPTZ(3) NOT NULL DEFAULT now();
    CREATE INDEX sessions_expires ON sessions (expires_at);

    ${sql.raw(transitionTrigger({ name: 'messages_inserted', fn: 'flowchat_messages_inserted', after: 'INSERT', on: 'messages', body: countersOnInsert('new_rows') }))}

    ${sql.raw(transitionTrigger({ name: 'messages_deleted', fn: 'flowchat_messages_deleted', after: 'DELETE', on: 'messages', body: countersOnDelete }))}
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER messages_deleted ON messages;
    DROP TRIGGER messages_inserted ON messages;
    DROP FUNCTION flowchat_messages_deleted();
    DROP FUNCTION flowchat_messages_inserted();

    DROP INDEX sessions_expires;
    ALTER TABLE sessions
      DROP COLUMN last_seen_at,
      DROP CONSTRAINT sessions_user_id_fkey,
      ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id),
      ALTER COLUMN user_id DROP NOT NULL,
      ALTER COLUMN expires_at TYPE TIMESTAMPTZ,
      ALTER COLUMN created_at TYPE TIMESTAMPTZ, ALTER COLUMN created_at DROP NOT NULL;
    ALTER TABLE sessions RENAME COLUMN token_hash TO token;

    DROP TABLE message_status_events;

    DROP INDEX messages_campaign_status;
    DROP INDEX messages_thread_keyset;
    DELETE FROM messages WHERE content IS NULL;
    ALTER TABLE messages
      DROP CONSTRAINT messages_status_check,
      DROP CONSTRAINT messages_direction_check,
      DROP COLUMN failed_at, DROP COLUMN read_at, DROP COLUMN delivered_at, DROP COLUMN sent_at,
      DROP COLUMN error_message, DROP COLUMN error_title, DROP COLUMN error_code,
      DROP COLUMN campaign_id, DROP COLUMN template, DROP COLUMN external_id, DROP COLUMN direction,
      ALTER COLUMN created_at TYPE TIMESTAMPTZ, ALTER COLUMN created_at DROP NOT NULL,
      ALTER COLUMN updated_at TYPE TIMESTAMPTZ, ALTER COLUMN updated_at DROP NOT NULL,
      ALTER COLUMN metadata DROP NOT NULL,
      ALTER COLUMN content SET NOT NULL,
      ALTER COLUMN contact_id DROP NOT NULL,
      DROP CONSTRAINT messages_from_user_id_fkey,
      DROP CONSTRAINT messages_contact_id_fkey,
      ADD CONSTRAINT messages_to_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES contacts(id),
      ADD CONSTRAINT messages_from_user_id_fkey FOREIGN KEY (from_user_id) REFERENCES users(id);
    ALTER TABLE messages RENAME COLUMN contact_id TO to_contact_id;
    CREATE INDEX idx_messages_contact_created ON messages(to_contact_id, created_at DESC);

    DROP INDEX contacts_conversations;
    DROP INDEX contacts_tags_gin;
    DROP INDEX contacts_message_count_keyset;
    DROP INDEX contacts_last_message_keyset;
    DROP INDEX contacts_name_keyset;
    DROP INDEX contacts_created_keyset;
    DELETE FROM messages WHERE to_contact_id IN (SELECT id FROM contacts WHERE phone IS NULL);
    DELETE FROM contacts WHERE phone IS NULL;
    UPDATE contacts SET name = phone WHERE name IS NULL;
    ALTER TABLE contacts
      DROP CONSTRAINT contacts_opted_out_source_check,
      DROP CONSTRAINT contacts_conversation_status_check,
      DROP CONSTRAINT contacts_name_check,
      DROP CONSTRAINT contacts_identity_check,
      DROP COLUMN sort_name, DROP COLUMN assignee_id, DROP COLUMN conversation_status,
      DROP COLUMN unread_count, DROP COLUMN message_count, DROP COLUMN opted_out_source,
      DROP COLUMN opted_out_at, DROP COLUMN last_message_at, DROP COLUMN last_inbound_at,
      DROP COLUMN username, DROP COLUMN wa_user_id,
      ALTER COLUMN updated_at TYPE TIMESTAMPTZ, ALTER COLUMN updated_at DROP NOT NULL,
      ALTER COLUMN created_at TYPE TIMESTAMPTZ, ALTER COLUMN created_at DROP NOT NULL,
      ALTER COLUMN metadata DROP NOT NULL,
      ALTER COLUMN tags DROP NOT NULL, ALTER COLUMN tags DROP DEFAULT,
      ALTER COLUMN name SET NOT NULL,
      ALTER COLUMN phone SET NOT NULL;

    DROP INDEX users_email_lower_key;
    ALTER TABLE users
      DROP CONSTRAINT users_role_check,
      ALTER COLUMN role SET DEFAULT 'user',
      ALTER COLUMN created_at TYPE TIMESTAMPTZ, ALTER COLUMN created_at DROP NOT NULL,
      ALTER COLUMN updated_at TYPE TIMESTAMPTZ, ALTER COLUMN updated_at DROP NOT NULL;
    ALTER TABLE users RENAME COLUMN password_hash TO password;

    DROP TABLE app_settings;
  `.execute(db);
}
