/**
 * Outbound webhooks and their outbox. `webhook_deliveries` gets one row per subscribed endpoint in
 * the same transaction as the event, carrying the exact body to send, so neither a crash nor the
 * pruning of the event log can lose one. A claim is a lease (`next_attempt_at` pushed ahead, a
 * fresh `claim_token`), never a row lock held during the HTTP call. Webhook secrets are encrypted
 * with a key generated here (see src/webhooks/secret-box.ts). The audit log also becomes
 * append-only in the database itself, and gains an index for "what happened to this record?".
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    INSERT INTO app_settings (key, value) VALUES ('webhook_secret_key', ${randomBytes(32).toString('hex')})
  `.execute(db);
  await sql`
    CREATE TABLE webhooks (
      id UUID PRIMARY KEY,
      url TEXT NOT NULL,
      events TEXT[] NOT NULL CHECK (cardinality(events) > 0),
      secret_ciphertext TEXT NOT NULL,
      created_by TEXT,
      consecutive_failures INTEGER NOT NULL DEFAULT 0,
      last_success_at TIMESTAMPTZ(3),
      last_failure_at TIMESTAMPTZ(3),
      last_error TEXT,
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
    );

    CREATE TABLE webhook_deliveries (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      webhook_id UUID NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
      event_id BIGINT NOT NULL,
      event_type TEXT NOT NULL,
      payload TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
      retry_count INTEGER NOT NULL DEFAULT 0,
      retry_started_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      next_attempt_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      claim_token UUID,
      finished_at TIMESTAMPTZ(3),
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      UNIQUE (webhook_id, event_id)
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (webhook_id, next_attempt_at) WHERE status = 'pending';
    CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE status <> 'pending';

    CREATE TABLE webhook_delivery_attempts (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
      at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      response_status INTEGER,
      error TEXT,
      duration_ms INTEGER NOT NULL
    );
    CREATE INDEX webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id, id);

    CREATE INDEX audit_log_target ON audit_log (target_id, id DESC);
    CREATE FUNCTION flowchat_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END
    $fn$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION flowchat_audit_log_append_only();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER audit_log_append_only ON audit_log;
    DROP FUNCTION flowchat_audit_log_append_only();
    DROP INDEX audit_log_target;
    DROP TABLE webhook_delivery_attempts;
    DROP TABLE webhook_deliveries;
    DROP TABLE webhooks;
    DELETE FROM app_settings WHERE key = 'webhook_secret_key';
  `.execute(db);
}
