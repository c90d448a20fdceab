/**
 * The event log: every change a client or integrator can subscribe to, written in the same
 * transaction as the change; live streams replay from it (`Last-Event-ID`) and it is bounded by
 * age. And the audit log: who did what, append-only.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE events (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      type TEXT NOT NULL,
      data JSONB NOT NULL,
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX events_created ON events (created_at);

    CREATE TABLE audit_log (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
      actor_type TEXT NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
      actor_id TEXT,
      action TEXT NOT NULL,
      target_type TEXT,
      target_id TEXT,
      details JSONB NOT NULL DEFAULT '{}'
    );
    CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
    CREATE INDEX audit_log_action ON audit_log (action, id DESC);
    CREATE INDEX audit_log_actor ON audit_log (actor_id, id DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE audit_log; DROP TABLE events`.execute(db);
}
