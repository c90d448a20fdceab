/** The legacy project's initial schema, as the seed wrote it. */
import { sql, type Kysely, type RawBuilder } from 'kysely';

/** A seed table: its UUID key, `columns`, then the two timestamps the seed stamped its rows with. */
function seedTable(name: string, columns: string): RawBuilder<unknown> {
  return sql.raw(`CREATE TABLE ${name} (
      id UUID PRIMARY KEY DEFAULT gen_random_uuid(),${columns}
      created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
      updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
    );`);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ${seedTable('users', `
      email VARCHAR(255) UNIQUE NOT NULL,
      password VARCHAR(255) NOT NULL,
      name VARCHAR(255) NOT NULL,
      role VARCHAR(50) NOT NULL DEFAULT 'user',`)}

    ${seedTable('contacts', `
      phone VARCHAR(20) UNIQUE NOT NULL,
      name VARCHAR(255) NOT NULL,
      email VARCHAR(255),
      tags TEXT[],
      metadata JSONB DEFAULT '{}',`)}

    ${seedTable('messages', `
      from_user_id UUID REFERENCES users(id),
      to_contact_id UUID REFERENCES contacts(id),
      content TEXT NOT NULL,
      type VARCHAR(50) NOT NULL,
      status VARCHAR(50) NOT NULL DEFAULT 'pending',
      metadata JSONB DEFAULT '{}',`)}

    CREATE TABLE sessions (
      id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id UUID REFERENCES users(id),
      token VARCHAR(255) UNIQUE NOT NULL,
      expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
      created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
    );

    CREATE INDEX idx_messages_contact_created ON messages(to_contact_id, created_at DESC);
    CREATE INDEX idx_messages_status ON messages(status);
    CREATE INDEX idx_contacts_phone ON contacts(phone);
    CREATE INDEX idx_sessions_token ON sessions(token);
    CREATE INDEX idx_users_email ON users(email);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS sessions;
    DROP TABLE IF EXISTS messages;
    DROP TABLE IF EXISTS contacts;
    DROP TABLE IF EXISTS users;
  `.execute(db);
}
