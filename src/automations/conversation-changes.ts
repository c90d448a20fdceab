/** The conversation changes automations make, each one conditional UPDATE on the contact's row. */
import { sql } from 'kysely';
import type { Contact } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';

/** Reopens those of the contacts' conversations that are closed; returns the reopened contacts. */
export async function reopenConversations(db: Executor, contactIds: readonly string[]): Promise<Contact[]> {
  if (contactIds.length === 0) return [];
  return db
    .updateTable('contacts')
    .set({ conversation_status: 'open', updated_at: sql`now()` })
    .where('id', '=', sql<string>`ANY(${[...contactIds]}::uuid[])`)
    .where('conversation_status', '=', 'closed')
    .returningAll()
    .execute();
}

/** Of the inbound messages `messageIds`, those that are their contact's first inbound message. */
export async function firstInboundIds(db: Executor, messageIds: readonly string[]): Promise<Set<string>> {
  if (messageIds.length === 0) return new Set();
  const { rows } = await sql<{ id: string }>`
    SELECT m.id FROM messages m
    WHERE m.id = ANY(${[...messageIds]}::uuid[])
      AND NOT EXISTS (
        SELECT 1 FROM messages e
        WHERE e.contact_id = m.contact_id AND e.created_at <= m.created_at AND e.direction = 'inbound' AND e.id <> m.id
      )
  `.execute(db);
  return new Set(rows.map((row) => row.id));
}

/** Adds the tags the contact lacks (in the order given); undefined when it had them all. */
export async function addTags(db: Executor, contactId: string, tags: readonly string[]): Promise<Contact | undefined> {
  return db
    .updateTable('contacts')
    .set({ tags: sql`tags || ARRAY(SELECT t FROM unnest(${[...tags]}::text[]) WITH ORDINALITY AS n(t, i) WHERE NOT t = ANY(tags) ORDER BY i)`, updated_at: sql`now()` })
    .where('id', '=', contactId)
    .where(sql<boolean>`NOT tags @> ${[...tags]}::text[]`)
    .returningAll()
    .executeTakeFirst();
}

/** Closes the conversation; undefined when it was closed already. */
export async function closeConversation(db: Executor, contactId: string): Promise<Contact | undefined> {
  return db
    .updateTable('contacts')
    .set({ conversation_status: 'closed', updated_at: sql`now()` })
    .where('id', '=', contactId)
    .where('conversation_status', '=', 'open')
    .returningAll()
    .executeTakeFirst();
}
