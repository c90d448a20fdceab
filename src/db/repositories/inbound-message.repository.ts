/**
 * Inbound messages and reactions. The provider's message id is unique, so inserting the same
 * webhook twice inserts once: a duplicate returns nothing and its side effects are skipped. A
 * message quoting one FlowChat has (`context`) gets its id as `reply_to_id`.
 */
import { sql } from 'kysely';
import type { JsonObject, Message } from '../schema.js';
import type { Executor } from '../transaction.js';

export interface NewInbound {
  readonly contactId: string;
  readonly wamid: string;
  readonly type: string;
  readonly content: string;
  readonly metadata: JsonObject;
  readonly at: Date;
  /** The channel (number) it came in on. */
  readonly channelId: string;
}

export class InboundMessageRepository {
  constructor(private readonly db: Executor) {}

  /** Inserts the message as `received`; undefined when its wamid is already stored. */
  async insert(message: NewInbound): Promise<Message | undefined> {
    return (await this.insertMany([message]))[0];
  }

  /**
   * Inserts the messages as `received` in one statement (the counters trigger runs once for all);
   * returns, in the order given, each one's row, or undefined where its wamid was already stored
   * (also by an earlier one of `messages`). Rows go in in wamid order, so transactions inserting
   * the same wamids at once wait for each other instead of deadlocking.
   */
  async insertMany(messages: readonly NewInbound[]): Promise<Array<Message | undefined>> {
    if (messages.length === 0) return [];
    // One JSON array (serialised natively) rather than nine parameters a row.
    const ordered = [...messages].sort((a, b) => (a.wamid < b.wamid ? -1 : a.wamid > b.wamid ? 1 : 0));
    const { rows } = await sql<Message>`
      INSERT INTO messages (contact_id, direction, status, type, content, metadata, external_id, created_at, updated_at, reply_to_id, channel_id)
      SELECT m.contact_id, 'inbound', 'received', m.type, m.content, m.metadata, m.wamid, m.at, m.at,
        (SELECT q.id FROM messages q WHERE q.external_id = m.metadata->'context'->>'message_id' AND q.contact_id = m.contact_id), m.channel_id
      FROM ROWS FROM (jsonb_to_recordset(${JSON.stringify(ordered.map((message) => ({ contact_id: message.contactId, type: message.type, content: message.content, metadata: message.metadata, wamid: message.wamid, at: message.at.toISOString(), channel_id: message.channelId })))}::jsonb)
        AS (contact_id uuid, type text, content text, metadata jsonb, wamid text, at timestamptz, channel_id uuid))
        WITH ORDINALITY AS m(contact_id, type, content, metadata, wamid, at, channel_id, n)
      ORDER BY n
      ON CONFLICT (external_id) DO NOTHING
      RETURNING *
    `.execute(this.db);
    const byWamid = new Map(rows.map((row) => [row.external_id, row]));
    return messages.map((message) => {
      const row = byWamid.get(message.wamid);
      byWamid.delete(message.wamid);
      return row;
    });
  }

  /**
   * Moves each contact's conversation to the channel of its newest inbound message, when one of
   * `stored` (just inserted) is that message: replies go out on the channel the contact last wrote to.
   */
  async followChannels(stored: readonly Message[]): Promise<void> {
    if (stored.length === 0) return;
    const values = sql.join(stored.map((message) => sql`(${message.contact_id}::uuid, ${message.channel_id}::uuid, ${message.created_at}::timestamptz)`));
    await sql`
      UPDATE contacts c SET channel_id = v.channel_id
      FROM (VALUES ${values}) AS v(contact_id, channel_id, at)
      WHERE c.id = v.contact_id AND c.channel_id IS DISTINCT FROM v.channel_id AND c.last_inbound_at <= v.at
    `.execute(this.db);
  }

  /** Whether the contact sent one of `keywords` (upper case, whole message) after `after`. */
  async sentKeywordAfter(contactId: string, after: Date, keywords: readonly string[]): Promise<boolean> {
    if (keywords.length === 0) return false;
    const row = await this.db
      .selectFrom('messages')
      .select('id')
      .where('contact_id', '=', contactId)
      .where('direction', '=', 'inbound')
      .where('created_at', '>', after)
      .where(sql<boolean>`upper(btrim(content)) = ANY(${[...keywords]}::text[])`)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Sets (or with a null emoji, removes) `reactor`'s reaction on the message with `targetWamid`,
   * unless a newer one is stored or this one is (a duplicate). Returns the changed message, or undefined.
   */
  async react(targetWamid: string, reactor: string, emoji: string | null, at: Date): Promise<Message | undefined> {
    const state = JSON.stringify({ emoji, at: at.toISOString() });
    return this.db
      .updateTable('messages')
      .set({
        metadata: sql`jsonb_set(metadata, '{reactions}', coalesce(metadata->'reactions', '{}'::jsonb) || jsonb_build_object(${reactor}::text, ${state}::jsonb))`,
        updated_at: sql`now()`,
      })
      .where('external_id', '=', targetWamid)
      .where(sql<boolean>`(
        coalesce((metadata->'reactions'->${reactor}->>'at')::timestamptz, '-infinity') < ${at}::timestamptz
        OR ((metadata->'reactions'->${reactor}->>'at')::timestamptz = ${at}::timestamptz
            AND (metadata->'reactions'->${reactor}->>'emoji') IS DISTINCT FROM ${emoji}::text)
      )`)
      .returningAll()
      .executeTakeFirst();
  }
}
