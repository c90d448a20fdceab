/**
 * The inbox: saved quick replies, and the indexes its conversation list and dashboard read by
 * (newest activity first per status and per assignee; messages by day).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE quick_replies (
      id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      shortcut TEXT NOT NULL,
      text TEXT NOT NULL,
      created_by UUID REFERENCES users(id) ON DELETE SET NULL,
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      CONSTRAINT quick_replies_shortcut_check CHECK (shortcut ~ '^[a-z0-9_-]{1,32}$')
    );
    CREATE UNIQUE INDEX quick_replies_shortcut_key ON quick_replies (shortcut);

    CREATE INDEX contacts_conversations_by_status ON contacts (conversation_status, last_message_at DESC, id DESC) WHERE last_message_at IS NOT NULL;
    CREATE INDEX contacts_conversations_by_assignee ON contacts (assignee_id, last_message_at DESC, id DESC) WHERE last_message_at IS NOT NULL;
    CREATE INDEX messages_created ON messages (created_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX messages_created;
    DROP INDEX contacts_conversations_by_assignee;
    DROP INDEX contacts_conversations_by_status;
    DROP TABLE quick_replies;
  `.execute(db);
}
