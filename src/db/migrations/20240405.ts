/**
 * Message search reads stored documents: `message_search` holds each message's text as a
 * `tsvector` (the `flowchat_search` configuration of 20240404), with the columns a search filters
 * and orders by, so a search tests a stored value instead of parsing and unaccenting every message
 * it walks (the cost that kept search from its goal at ten million messages).
 *
 * A side table rather than a column of `messages`: every `RETURNING *` and `selectAll()` of a
 * message would carry the document, on the thread, webhook and sender paths, and adding a stored
 * column rewrites the whole table under an exclusive lock. Triggers keep it: one statement-level
 * trigger per insert and per delete statement (a batch of webhooks is one statement), one row
 * trigger only when an update sets the text, contact, channel or time (status updates do not), and
 * a truncate. Only messages whose text holds a word have a row. The expression index of 20240404 is
 * replaced by the table's.
 *
 * Upgrade cost: one pass over `messages` computing every document, then three index builds; writes
 * to `messages` wait from the trigger's creation to the commit, reads wait only for the final drop
 * of the old index.
 */
import { sql, type Kysely } from 'kysely';
import { transitionTrigger, triggerFunction } from './trigger-sql.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE message_search (
      message_id UUID NOT NULL,
      created_at TIMESTAMPTZ(3) NOT NULL,
      contact_id UUID NOT NULL,
      channel_id UUID NOT NULL,
      document TSVECTOR NOT NULL
    );

    ${sql.raw(transitionTrigger({ name: 'messages_search_inserted', fn: 'flowchat_message_search_inserted', after: 'INSERT', on: 'messages', body: `
      INSERT INTO message_search (message_id, created_at, contact_id, channel_id, document)
      SELECT d.id, d.created_at, d.contact_id, d.channel_id, d.document
      FROM (SELECT id, created_at, contact_id, channel_id, to_tsvector('flowchat_search'::regconfig, content) AS document
            FROM new_rows WHERE content IS NOT NULL) d
      WHERE length(d.document) > 0;` }))}

    ${sql.raw(transitionTrigger({ name: 'messages_search_deleted', fn: 'flowchat_message_search_deleted', after: 'DELETE', on: 'messages', body: `
      DELETE FROM message_search s USING old_rows o WHERE s.message_id = o.id;` }))}

    ${sql.raw(triggerFunction('flowchat_message_search_updated', `
      DELETE FROM message_search WHERE message_id = OLD.id;
      INSERT INTO message_search (message_id, created_at, contact_id, channel_id, document)
      SELECT NEW.id, NEW.created_at, NEW.contact_id, NEW.channel_id, d.document
      FROM (SELECT to_tsvector('flowchat_search'::regconfig, NEW.content) AS document WHERE NEW.content IS NOT NULL) d
      WHERE length(d.document) > 0;`))};
    CREATE TRIGGER messages_search_updated AFTER UPDATE OF content, contact_id, channel_id, created_at ON messages
      FOR EACH ROW WHEN (OLD.content IS DISTINCT FROM NEW.content OR OLD.contact_id IS DISTINCT FROM NEW.contact_id
                         OR OLD.channel_id IS DISTINCT FROM NEW.channel_id OR OLD.created_at IS DISTINCT FROM NEW.created_at)
      EXECUTE FUNCTION flowchat_message_search_updated();

    ${sql.raw(triggerFunction('flowchat_message_search_truncated', `
      TRUNCATE message_search;`))};
    CREATE TRIGGER messages_search_truncated AFTER TRUNCATE ON messages
      FOR EACH STATEMENT EXECUTE FUNCTION flowchat_message_search_truncated();

    INSERT INTO message_search (message_id, created_at, contact_id, channel_id, document)
    SELECT d.id, d.created_at, d.contact_id, d.channel_id, d.document
    FROM (SELECT id, created_at, contact_id, channel_id, to_tsvector('flowchat_search'::regconfig, content) AS document
          FROM messages WHERE content IS NOT NULL) d
    WHERE length(d.document) > 0;

    ALTER TABLE message_search ADD CONSTRAINT message_search_pkey PRIMARY KEY (message_id);
    CREATE INDEX message_search_newest ON message_search (created_at DESC, message_id DESC);
    CREATE INDEX message_search_thread ON message_search (contact_id, created_at DESC, message_id DESC);
    CREATE INDEX message_search_document ON message_search USING gin (document);
    ANALYZE message_search;

    DROP INDEX messages_search;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX messages_search ON messages USING gin (to_tsvector('flowchat_search'::regconfig, coalesce(content, '')));
    DROP TRIGGER messages_search_truncated ON messages;
    DROP TRIGGER messages_search_updated ON messages;
    DROP TRIGGER messages_search_deleted ON messages;
    DROP TRIGGER messages_search_inserted ON messages;
    DROP FUNCTION flowchat_message_search_truncated();
    DROP FUNCTION flowchat_message_search_updated();
    DROP FUNCTION flowchat_message_search_deleted();
    DROP FUNCTION flowchat_message_search_inserted();
    DROP TABLE message_search;
  `.execute(db);
}
