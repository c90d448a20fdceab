/**
 * Templates, interactive messages, replies and reactions: Meta's template catalogue (one row per
 * WABA, name and language), why a campaign paused, the message a message quotes, the buttons or
 * list an interactive message carried, and the queue of reactions agents send.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE message_templates (
      id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      business_account_id TEXT NOT NULL,
      meta_id TEXT,
      name TEXT NOT NULL,
      language TEXT NOT NULL,
      category TEXT,
      status TEXT NOT NULL,
      components JSONB NOT NULL DEFAULT '[]',
      parameters JSONB NOT NULL DEFAULT '[]',
      rejected_reason TEXT,
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX message_templates_name_key ON message_templates (business_account_id, name, language);
    CREATE INDEX message_templates_meta_id ON message_templates (business_account_id, meta_id);

    ALTER TABLE campaigns ADD COLUMN paused_reason TEXT;
    ALTER TABLE messages ADD COLUMN reply_to_id UUID, ADD COLUMN interactive JSONB;

    CREATE TABLE outbound_reactions (
      id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      message_id UUID NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      user_id UUID REFERENCES users(id) ON DELETE SET NULL,
      emoji TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending',
      sending_at TIMESTAMPTZ(3),
      not_before TIMESTAMPTZ(3),
      attempts INTEGER NOT NULL DEFAULT 0,
      external_id TEXT,
      error TEXT,
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      CONSTRAINT outbound_reactions_status_check CHECK (status IN ('pending', 'sent', 'failed', 'unknown'))
    );
    CREATE INDEX outbound_reactions_queue ON outbound_reactions (created_at, id) WHERE status = 'pending';
    CREATE INDEX outbound_reactions_message ON outbound_reactions (message_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE outbound_reactions;
    ALTER TABLE messages DROP COLUMN interactive, DROP COLUMN reply_to_id;
    ALTER TABLE campaigns DROP COLUMN paused_reason;
    DROP TABLE message_templates;
  `.execute(db);
}
