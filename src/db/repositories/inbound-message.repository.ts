/**
 * Inbound messages and reactions. The provider's message id is unique, so inserting the same
 * webhook twice inserts once: a duplicate returns nothing and its side effects are skipped.
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
}

export class InboundMessageRepository {
  constructor(private readonly db: Executor) {}

  /** Inserts the message as `received`; undefined when its wamid is already stored. */
  async insert(message: NewInbound): Promise<Message | undefined> {
    return this.db
      .insertInto('messages')
      .values({
        contact_id: message.contactId,
        direction: 'inbound',
        status: 'received',
        type: message.type,
        content: message.content,
        metadata: JSON.stringify(message.metadata),
        external_id: message.wamid,
        created_at: message.at,
        updated_at: message.at,
      })
      .onConflict((oc) => oc.column('external_id').doNothing())
      .returningAll()
      .executeTakeFirst();
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
