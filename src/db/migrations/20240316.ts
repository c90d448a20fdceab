/**
 * Campaigns and saved segments. A campaign's messages are ordinary outbound messages carrying its
 * id, so the sender, the status webhooks and the thread treat them like any other; contacts left
 * out at enqueue time for a missing template variable are kept beside them with the reason. One
 * index per message serves every campaign query: (campaign, contact), unique, with the status
 * included, pages the recipient report by contact and counts by status from the index alone, so
 * it replaces the (campaign, status) index and enqueueing writes no more index entries than before. The messaging-limit ledger remembers, per
 * contact, when FlowChat last reached it outside its 24-hour window.
 *
 * The messages insert trigger now leaves campaign messages out of the contact counters: bumping
 * 100 k contact rows (each update touching every contacts index) took seconds inside the enqueue
 * statement, so the campaign worker adds them afterwards in small batches (`counters_settled`,
 * `counters_cursor`), and the counters reach the same values a few seconds later.
 */
import { sql, type Kysely } from 'kysely';
import { countersOnInsert } from './20240312.js';
import { keyAndName } from './columns-sql.js';
import { triggerFunction } from './trigger-sql.js';

/** 20240312's insert trigger function, re-created over the rows of `source`. */
function countersTrigger(source: string): string {
  return `
    ${triggerFunction('flowchat_messages_inserted', countersOnInsert(source), { replace: true })}`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE segments (
      ${keyAndName},
      filter JSONB NOT NULL,
      created_by UUID REFERENCES users(id) ON DELETE SET NULL,
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX segments_name_key ON segments (lower(name));

    CREATE TABLE campaigns (
      ${keyAndName},
      status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'completed', 'canceled')),
      template JSONB NOT NULL,
      audience JSONB NOT NULL,
      segment_id UUID REFERENCES segments(id) ON DELETE SET NULL,
      total INTEGER NOT NULL DEFAULT 0,
      skipped INTEGER NOT NULL DEFAULT 0,
      scheduled_at TIMESTAMPTZ(3),
      started_at TIMESTAMPTZ(3),
      paused_at TIMESTAMPTZ(3),
      finished_at TIMESTAMPTZ(3),
      created_by UUID REFERENCES users(id) ON DELETE SET NULL,
      counters_settled BOOLEAN NOT NULL DEFAULT true,
      counters_cursor UUID,
      announced_counts JSONB,
      announced_at TIMESTAMPTZ(3),
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX campaigns_created_keyset ON campaigns (created_at, id);
    CREATE INDEX campaigns_live ON campaigns (status) WHERE status IN ('scheduled', 'running', 'paused');

    CREATE TABLE campaign_skipped_recipients (
      campaign_id UUID NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
      contact_id UUID NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
      reason TEXT NOT NULL,
      detail TEXT,
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (campaign_id, contact_id)
    );

    ALTER TABLE messages
      ADD CONSTRAINT messages_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES campaigns(id) ON DELETE SET NULL;
    DROP INDEX messages_campaign_status;
    CREATE UNIQUE INDEX messages_campaign_contact ON messages (campaign_id, contact_id) INCLUDE (status) WHERE campaign_id IS NOT NULL;
    CREATE INDEX messages_daily_limit_held ON messages (created_at, id) WHERE hold_reason = 'daily_limit' AND status = 'pending';

    CREATE TABLE messaging_limit_reach (
      contact_id UUID PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
      reached_at TIMESTAMPTZ(3) NOT NULL
    );
    CREATE INDEX messaging_limit_reach_at ON messaging_limit_reach (reached_at);
  `.execute(db);
  await sql.raw(countersTrigger("new_rows WHERE campaign_id IS NULL")).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(countersTrigger('new_rows')).execute(db);
  await sql`
    DROP TABLE messaging_limit_reach;
    DROP INDEX messages_daily_limit_held;
    DROP INDEX messages_campaign_contact;
    CREATE INDEX messages_campaign_status ON messages (campaign_id, status) WHERE campaign_id IS NOT NULL;
    ALTER TABLE messages DROP CONSTRAINT messages_campaign_id_fkey;
    DROP TABLE campaign_skipped_recipients;
    DROP TABLE campaigns;
    DROP TABLE segments;
  `.execute(db);
}
