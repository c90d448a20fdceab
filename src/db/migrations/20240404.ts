/**
 * Automations and the team inbox: rules that answer, tag and assign by themselves; the business
 * hours they read; the away-message ledger (one row per rule and contact, so "at most once in
 * 12 hours" holds across processes); agents' availability and when each was last assigned (round
 * robin); private notes (`direction = 'internal'`); and full-text search over message text.
 *
 * Search uses the text search configuration `flowchat_search`: the `simple` parser and dictionary
 * (every word kept, lower case, no stemming, as FlowChat knows no contact's language) behind the
 * `unaccent` dictionary where the server has that extension, so accents are ignored. The index is
 * an expression index over `to_tsvector('flowchat_search', content)`; a server without `unaccent`
 * gets the same configuration without it (accents then count).
 */
import { sql, type Kysely } from 'kysely';
import { keyAndName } from './columns-sql.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const unaccent = await sql<{ available: boolean }>`
    SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent') AS available
  `.execute(db);
  const withUnaccent = unaccent.rows[0]?.available === true;
  if (withUnaccent) await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db);
  await sql`CREATE TEXT SEARCH CONFIGURATION flowchat_search (COPY = pg_catalog.simple)`.execute(db);
  if (withUnaccent) {
    await sql`ALTER TEXT SEARCH CONFIGURATION flowchat_search ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple`.execute(db);
  }
  await sql`
    CREATE INDEX messages_search ON messages USING gin (to_tsvector('flowchat_search'::regconfig, coalesce(content, '')));

    ALTER TABLE messages DROP CONSTRAINT messages_direction_check,
      ADD CONSTRAINT messages_direction_check CHECK (direction IN ('inbound', 'outbound', 'internal'));

    ALTER TABLE users
      ADD COLUMN available BOOLEAN NOT NULL DEFAULT true,
      ADD COLUMN last_assigned_at TIMESTAMPTZ(3);

    CREATE TABLE automations (
      ${keyAndName},
      enabled BOOLEAN NOT NULL DEFAULT true,
      trigger TEXT NOT NULL CHECK (trigger IN ('message.received', 'conversation.opened', 'button.clicked')),
      conditions JSONB NOT NULL DEFAULT '{}',
      actions JSONB NOT NULL DEFAULT '[]',
      created_by UUID REFERENCES users(id) ON DELETE SET NULL,
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX automations_by_creation ON automations (created_at, id);

    CREATE TABLE automation_away_replies (
      automation_id UUID NOT NULL REFERENCES automations(id) ON DELETE CASCADE,
      contact_id UUID NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      replied_at TIMESTAMPTZ(3) NOT NULL,
      PRIMARY KEY (automation_id, contact_id)
    );

    CREATE TABLE business_hours (
      id SMALLINT PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      timezone TEXT NOT NULL,
      week JSONB NOT NULL,
      closed_dates DATE[] NOT NULL DEFAULT '{}',
      updated_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE business_hours;
    DROP TABLE automation_away_replies;
    DROP TABLE automations;
    ALTER TABLE users DROP COLUMN last_assigned_at, DROP COLUMN available;
    DELETE FROM messages WHERE direction = 'internal';
    ALTER TABLE messages DROP CONSTRAINT messages_direction_check,
      ADD CONSTRAINT messages_direction_check CHECK (direction IN ('inbound', 'outbound'));
    DROP INDEX messages_search;
    DROP TEXT SEARCH CONFIGURATION flowchat_search;
  `.execute(db);
}
