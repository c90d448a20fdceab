/**
 * The WhatsApp channel. Messages become an outbox: `sending_at` marks a send in flight (committed
 * before the HTTP call, so a crash leaves an unknown outcome, never a blind resend), `hold_reason`
 * and `not_before` keep a message out of the sender's claim (held campaigns, daily-limit waits,
 * retries), and a partial index serves the claim. Beside them: the raw inbound webhook inbox,
 * idempotency keys, the shared pacing slot and the sender's pause state, and contacts' `wa_id`.
 * See src/db/repositories/outbox.repository.ts for how the claim reads these columns.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE messages
      ADD COLUMN hold_reason TEXT,
      ADD COLUMN not_before TIMESTAMPTZ(3),
      ADD COLUMN sending_at TIMESTAMPTZ(3),
      ADD COLUMN send_attempts INTEGER NOT NULL DEFAULT 0,
      ADD COLUMN send_error TEXT,
      ADD CONSTRAINT messages_hold_reason_check CHECK (hold_reason IS NULL OR btrim(hold_reason) <> '');
    CREATE INDEX messages_outbox ON messages ((campaign_id IS NOT NULL), created_at, id)
      WHERE status = 'pending' AND direction = 'outbound' AND sending_at IS NULL AND hold_reason IS NULL;
    CREATE INDEX messages_in_flight ON messages (sending_at)
      WHERE status = 'pending' AND sending_at IS NOT NULL;

    ALTER TABLE contacts ADD COLUMN wa_id TEXT UNIQUE;

    CREATE TABLE whatsapp_webhook_events (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      source TEXT NOT NULL DEFAULT 'cloud_api' CHECK (source IN ('cloud_api', 'sandbox')),
      body TEXT NOT NULL,
      received_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      processed_at TIMESTAMPTZ(3),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      last_error TEXT
    );
    CREATE INDEX whatsapp_webhook_events_unprocessed ON whatsapp_webhook_events (next_attempt_at, id) WHERE processed_at IS NULL;
    CREATE INDEX whatsapp_webhook_events_processed ON whatsapp_webhook_events (processed_at) WHERE processed_at IS NOT NULL;

    CREATE TABLE idempotency_keys (
      scope TEXT NOT NULL,
      key TEXT NOT NULL,
      request_hash TEXT NOT NULL,
      message_ids UUID[],
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, key)
    );
    CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

    CREATE TABLE whatsapp_pacer (
      id SMALLINT PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      next_slot_us BIGINT NOT NULL DEFAULT 0
    );
    INSERT INTO whatsapp_pacer (id, next_slot_us) VALUES (1, 0);

    CREATE TABLE whatsapp_sender_state (
      id SMALLINT PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      paused_at TIMESTAMPTZ(3),
      pause_code TEXT,
      pause_reason TEXT,
      token_fingerprint TEXT
    );
    INSERT INTO whatsapp_sender_state (id) VALUES (1);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE whatsapp_sender_state;
    DROP TABLE whatsapp_pacer;
    DROP TABLE idempotency_keys;
    DROP TABLE whatsapp_webhook_events;
    ALTER TABLE contacts DROP COLUMN wa_id;
    DROP INDEX messages_in_flight;
    DROP INDEX messages_outbox;
    ALTER TABLE messages
      DROP CONSTRAINT messages_hold_reason_check,
      DROP COLUMN send_error,
      DROP COLUMN send_attempts,
      DROP COLUMN sending_at,
      DROP COLUMN not_before,
      DROP COLUMN hold_reason;
  `.execute(db);
}
