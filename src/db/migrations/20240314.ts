/**
 * Accounts and contact search: API keys (stored as the SHA-256 of the key, with a visible prefix),
 * failed logins (kept in the database so throttling holds across processes), and trigram indexes
 * that serve the contacts list's case-insensitive substring search where pg_trgm is installed.
 * Also drops the seed's second index on contacts.phone, which its unique constraint duplicates.
 */
import { sql, type Kysely } from 'kysely';
import { keyAndName } from './columns-sql.js';

async function hasTrigrams(db: Kysely<unknown>): Promise<boolean> {
  const result = await sql<{ installed: boolean }>`
    SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS installed
  `.execute(db);
  return result.rows[0]?.installed === true;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE api_keys (
      ${keyAndName},
      prefix TEXT NOT NULL,
      key_hash TEXT NOT NULL UNIQUE,
      created_by UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      last_used_at TIMESTAMPTZ(3),
      revoked_at TIMESTAMPTZ(3),
      created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX api_keys_active ON api_keys (created_at, id) WHERE revoked_at IS NULL;

    CREATE TABLE login_attempts (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email TEXT NOT NULL,
      ip TEXT NOT NULL,
      at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX login_attempts_email ON login_attempts (email, at);
    CREATE INDEX login_attempts_ip ON login_attempts (ip, at);
    CREATE INDEX login_attempts_at ON login_attempts (at);

    -- The seed indexed phone twice (its UNIQUE constraint already does); every import row paid for both.
    DROP INDEX idx_contacts_phone;
  `.execute(db);
  if (await hasTrigrams(db)) {
    await sql`
      CREATE INDEX contacts_name_trgm ON contacts USING gin (name gin_trgm_ops);
      CREATE INDEX contacts_email_trgm ON contacts USING gin (email gin_trgm_ops);
      CREATE INDEX contacts_phone_trgm ON contacts USING gin (phone gin_trgm_ops);
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS contacts_phone_trgm;
    DROP INDEX IF EXISTS contacts_email_trgm;
    DROP INDEX IF EXISTS contacts_name_trgm;
    CREATE INDEX idx_contacts_phone ON contacts (phone);
    DROP TABLE login_attempts;
    DROP TABLE api_keys;
  `.execute(db);
}
