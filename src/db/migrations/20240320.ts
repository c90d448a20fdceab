/**
 * Indexes the inbox reads at a million contacts (found with `npm run bench` and EXPLAIN).
 *
 * A list filtered by tag and ordered by a keyset column walks that column's index and skips the
 * contacts without the tag; when each skipped contact costs a heap visit, a tag on 0.2 % of the
 * contacts means some 20 000 random page reads for one page of 50. The keyset and conversation
 * indexes therefore carry the filter columns (`INCLUDE`), and the repositories pick a page's ids
 * from the index alone before reading its rows: a skipped contact costs an index tuple.
 *
 * The contacts list by `last_message_at desc` (nulls last) could use no index and sorted the whole
 * table; it gets its own.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX contacts_conversations;
    CREATE INDEX contacts_conversations ON contacts (last_message_at DESC, id DESC)
      INCLUDE (conversation_status, assignee_id, tags) WHERE last_message_at IS NOT NULL;
    DROP INDEX contacts_conversations_by_assignee;
    CREATE INDEX contacts_conversations_by_assignee ON contacts (assignee_id, last_message_at DESC, id DESC)
      INCLUDE (conversation_status, tags) WHERE last_message_at IS NOT NULL;

    DROP INDEX contacts_created_keyset;
    CREATE INDEX contacts_created_keyset ON contacts (created_at, id) INCLUDE (tags);
    DROP INDEX contacts_name_keyset;
    CREATE INDEX contacts_name_keyset ON contacts (sort_name, id) INCLUDE (tags);
    DROP INDEX contacts_message_count_keyset;
    CREATE INDEX contacts_message_count_keyset ON contacts (message_count, id) INCLUDE (tags);
    DROP INDEX contacts_last_message_keyset;
    CREATE INDEX contacts_last_message_keyset ON contacts (last_message_at, id) INCLUDE (tags);
    CREATE INDEX contacts_last_message_desc_keyset ON contacts (last_message_at DESC NULLS LAST, id DESC) INCLUDE (tags);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX contacts_last_message_desc_keyset;
    DROP INDEX contacts_last_message_keyset;
    CREATE INDEX contacts_last_message_keyset ON contacts (last_message_at, id);
    DROP INDEX contacts_message_count_keyset;
    CREATE INDEX contacts_message_count_keyset ON contacts (message_count, id);
    DROP INDEX contacts_name_keyset;
    CREATE INDEX contacts_name_keyset ON contacts (sort_name, id);
    DROP INDEX contacts_created_keyset;
    CREATE INDEX contacts_created_keyset ON contacts (created_at, id);

    DROP INDEX contacts_conversations_by_assignee;
    CREATE INDEX contacts_conversations_by_assignee ON contacts (assignee_id, last_message_at DESC, id DESC) WHERE last_message_at IS NOT NULL;
    DROP INDEX contacts_conversations;
    CREATE INDEX contacts_conversations ON contacts (last_message_at DESC, id DESC) WHERE last_message_at IS NOT NULL;
  `.execute(db);
}
