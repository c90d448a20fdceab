/**
 * The queue of reactions agents send. A reaction is claimed (`sending_at` set and committed) before
 * its request goes out, so it is sent at most once; one whose outcome was lost is never resent
 * (`unknown`). The agent's reaction itself lives on the target message (`metadata.reactions`).
 */
import { sql } from 'kysely';
import type { Message, OutboundReaction } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';

export interface ClaimedReaction extends OutboundReaction {
  readonly target_wamid: string | null;
  readonly to_phone: string | null;
  /** The number the target message belongs to: the reaction goes out there. */
  readonly channel_id: string;
}

export class ReactionRepository {
  constructor(private readonly db: Executor) {}

  async enqueue(messageId: string, userId: string, emoji: string): Promise<OutboundReaction> {
    return this.db.insertInto('outbound_reactions').values({ message_id: messageId, user_id: userId, emoji }).returningAll().executeTakeFirstOrThrow();
  }

  /** Claims up to `limit` due reactions, oldest first, unless the sender is paused. Run it in a transaction of its own. */
  async claim(limit: number): Promise<ClaimedReaction[]> {
    const { rows } = await sql<ClaimedReaction>`
      WITH picked AS (
        SELECT r.id FROM outbound_reactions r JOIN messages m ON m.id = r.message_id
        WHERE r.status = 'pending' AND r.sending_at IS NULL AND (r.not_before IS NULL OR r.not_before <= now())
          AND NOT EXISTS (SELECT 1 FROM whatsapp_sender_state s WHERE s.paused_at IS NOT NULL AND s.channel_id = m.channel_id)
        ORDER BY r.created_at, r.id
        LIMIT ${limit}
        FOR UPDATE OF r SKIP LOCKED
      )
      UPDATE outbound_reactions r SET sending_at = now(), attempts = r.attempts + 1, updated_at = now()
      FROM picked, messages m, contacts c
      WHERE r.id = picked.id AND m.id = r.message_id AND c.id = m.contact_id
      RETURNING r.*, m.external_id AS target_wamid, c.phone AS to_phone, m.channel_id
    `.execute(this.db);
    return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  }

  async settle(id: string, status: 'sent' | 'failed' | 'unknown', values: { externalId?: string; error?: string }): Promise<void> {
    await this.db
      .updateTable('outbound_reactions')
      .set({ status, external_id: values.externalId ?? null, error: values.error?.slice(0, 1000) ?? null, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** Back in the queue, to be tried again no sooner than `notBefore`. */
  async retryLater(id: string, notBefore: Date, error: string): Promise<void> {
    await this.db
      .updateTable('outbound_reactions')
      .set({ sending_at: null, not_before: notBefore, error: error.slice(0, 1000), updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Takes `reactor`'s reaction off the message when it is still `emoji` (the agent has not reacted
   * again since); returns the message when it changed.
   */
  async withdraw(messageId: string, reactor: string, emoji: string | null): Promise<Message | undefined> {
    return this.db
      .updateTable('messages')
      .set({ metadata: sql`jsonb_set(metadata, '{reactions}', (metadata->'reactions') - ${reactor}::text)`, updated_at: sql`now()` })
      .where('id', '=', messageId)
      .where(sql<boolean>`metadata->'reactions' ? ${reactor}::text AND (metadata->'reactions'->${reactor}->>'emoji') IS NOT DISTINCT FROM ${emoji}::text`)
      .returningAll()
      .executeTakeFirst();
  }

  /** Claims left in flight longer than `graceSeconds` (the process died mid-send): `unknown`, never resent. */
  async reapStale(graceSeconds: number): Promise<number> {
    const result = await this.db
      .updateTable('outbound_reactions')
      .set({ status: 'unknown', error: 'the outcome of the send was lost', updated_at: sql`now()` })
      .where('status', '=', 'pending')
      .where('sending_at', '<', sql<Date>`now() - make_interval(secs => ${graceSeconds}::float8)`)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
