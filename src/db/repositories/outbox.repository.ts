/**
 * The outbox: outbound messages wait in the `messages` table and the sender of every FlowChat
 * process claims them from here.
 *
 * ## When the sender claims a message (read this before enqueueing or holding messages)
 *
 * A message is claimed when all of these hold (one partial index, `messages_outbox`, serves it):
 *
 *     status = 'pending' AND direction = 'outbound'
 *     AND sending_at IS NULL                             -- not in flight, outcome not unknown
 *     AND hold_reason IS NULL                            -- not held
 *     AND (not_before IS NULL OR not_before <= now())    -- not waiting
 *     AND whatsapp_sender_state.paused_at IS NULL        -- the channel's sender is not paused
 *     AND channels.deleted_at IS NULL                    -- the channel is not deleted
 *
 * each channel's sender claiming only its channel's messages (`channel_id`), in this order: conversation replies (`campaign_id IS NULL`) first, then oldest `created_at`.
 * The claim locks rows `FOR UPDATE SKIP LOCKED`, sets `sending_at` and commits before any HTTP
 * call, so every process can claim at once and no message is claimed twice.
 *
 * - **Hold**: set `hold_reason` to a short non-blank word on pending messages, e.g.
 *   `UPDATE messages SET hold_reason = 'campaign_paused' WHERE campaign_id = $1 AND status = 'pending'
 *   AND sending_at IS NULL`. Held messages stay `pending` (visibly: `pending` with reason `daily_limit`
 *   is a daily-limit wait, `scheduled` a campaign not yet started); `SET hold_reason = NULL` releases
 *   them. A hold that commits before a claim wins; a message whose claim committed first
 *   (`sending_at` set) is already going out and can no longer be held or canceled.
 * - **Delay**: `not_before` keeps a message back until that time (a scheduled start). The sender
 *   itself uses it for retries, so overwrite it only on messages you hold or have just inserted.
 * - **Cancel**: `MessageRepository.updateStatus(id, {status: 'canceled'})`, or the same in bulk:
 *   `status = 'canceled' WHERE status = 'pending' AND sending_at IS NULL`.
 * - **Template messages** carry `template` = `{name, language, components?}` with `language` a code
 *   (`"en_US"`) or Meta's `{code}`; `components` go out exactly as stored (Meta's format).
 * - **Waking**: after inserting pending messages, `afterCommit(trx, () => ctx.whatsapp.sender.wake())`
 *   starts this process's sender at once; other processes find them within their poll interval.
 *
 * Settling in-flight messages: a 2xx stores the wamid and moves the message to `sent`; an error
 * answer either fails it or puts it back with `not_before`; an unknown outcome (timeout, crash)
 * keeps `sending_at` until a status webhook settles it or `reapUnknownOutcomes` fails it.
 */
import { sql, type RawBuilder } from 'kysely';
import { fillEmptyContactColumn } from './contact-fill.js';
import type { Message } from '../schema.js';
import type { Executor } from '../transaction.js';

/** A claimed message with what sending it needs from its contact. */
export interface ClaimedMessage extends Message {
  readonly to_phone: string | null;
  readonly contact_wa_id: string | null;
  readonly contact_opted_out_at: Date | null;
  /** `sending_at` as stored (to the microsecond): it tells this claim from any later one of the same message. */
  readonly claim_stamp: string;
}

/** A claim to undo: the message and the stamp its claim left. */
export type ClaimRef = Pick<ClaimedMessage, 'id' | 'claim_stamp'>;

export interface AcceptedSend {
  readonly id: string;
  readonly wamid: string;
  readonly at: Date;
}

export interface OutboxError {
  readonly code: string;
  readonly title?: string;
  readonly message: string;
}

const claimable = sql`
  m.status = 'pending' AND m.direction = 'outbound' AND m.sending_at IS NULL AND m.hold_reason IS NULL
  AND (m.not_before IS NULL OR m.not_before <= now())
`;

function idArray(ids: readonly string[]): RawBuilder<string[]> {
  return sql<string[]>`${[...ids]}::uuid[]`;
}

export class OutboxRepository {
  constructor(private readonly db: Executor) {}

  /** An update of message `id` that changes it only while it is still pending. */
  private updatePending(id: string) {
    return this.db.updateTable('messages').where('id', '=', id).where('status', '=', 'pending');
  }

  /**
   * Claims up to `limit` claimable messages for sending (see the module comment). Run it in a
   * transaction of its own: if the commit then goes unanswered (the connection died), the rows it
   * returned can still be put back with `release`, whether or not the commit took effect.
   */
  async claim(limit: number, channelId: string): Promise<ClaimedMessage[]> {
    const result = await sql<ClaimedMessage>`
      WITH picked AS (
        SELECT m.id FROM messages m
        WHERE m.channel_id = ${channelId} AND ${claimable}
          AND NOT EXISTS (SELECT 1 FROM whatsapp_sender_state s WHERE s.channel_id = ${channelId} AND s.paused_at IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM channels ch WHERE ch.id = ${channelId} AND ch.deleted_at IS NOT NULL)
        ORDER BY (m.campaign_id IS NOT NULL), m.created_at, m.id
        LIMIT ${limit}
        FOR UPDATE OF m SKIP LOCKED
      )
      UPDATE messages m SET sending_at = now(), send_attempts = m.send_attempts + 1
      FROM picked, contacts c
      WHERE m.id = picked.id AND c.id = m.contact_id
      RETURNING m.*, c.phone AS to_phone, c.wa_id AS contact_wa_id, c.opted_out_at AS contact_opted_out_at, m.sending_at::text AS claim_stamp
    `.execute(this.db);
    return result.rows.sort((a, b) => Number(a.campaign_id !== null) - Number(b.campaign_id !== null) || a.created_at.getTime() - b.created_at.getTime());
  }

  /**
   * Puts claimed messages that were certainly not sent back in the queue, as if never claimed.
   * Only rows still carrying their claim's stamp change: a claim that never committed, or a
   * message claimed since by another process, is left alone.
   */
  async release(claims: readonly ClaimRef[]): Promise<void> {
    if (claims.length === 0) return;
    const values = sql.join(claims.map((claim) => sql`(${claim.id}::uuid, ${claim.claim_stamp}::timestamptz)`));
    await sql`
      UPDATE messages m SET sending_at = NULL, send_attempts = greatest(m.send_attempts - 1, 0)
      FROM (VALUES ${values}) AS v(id, stamp)
      WHERE m.id = v.id AND m.sending_at = v.stamp AND m.status = 'pending'
    `.execute(this.db);
  }

  /**
   * Records accepted sends in one statement: the wamid (unless a status webhook attached it first)
   * and `sent` (unless a webhook already moved the message further). Returns the changed rows.
   */
  async markAccepted(sends: readonly AcceptedSend[]): Promise<Message[]> {
    if (sends.length === 0) return [];
    const values = sql.join(sends.map((send) => sql`(${send.id}::uuid, ${send.wamid}::text, ${send.at}::timestamptz)`));
    const result = await sql<Message>`
      UPDATE messages m SET
        status = CASE WHEN m.status = 'pending' THEN 'sent' ELSE m.status END,
        sent_at = coalesce(m.sent_at, v.at),
        external_id = coalesce(m.external_id, v.wamid),
        sending_at = NULL,
        send_error = NULL,
        updated_at = now()
      FROM (VALUES ${values}) AS v(id, wamid, at)
      WHERE m.id = v.id
      RETURNING m.*
    `.execute(this.db);
    return result.rows;
  }

  /** Stores the `wa_id` WhatsApp answered with on contacts that have none yet (and no other contact has). */
  async rememberWaIds(pairs: readonly { contactId: string; waId: string }[]): Promise<void> {
    await fillEmptyContactColumn(this.db, 'wa_id', pairs.map((pair) => ({ contactId: pair.contactId, value: pair.waId })));
  }

  /** Puts a claimed message back to be retried no sooner than `notBefore`. */
  async retryLater(id: string, notBefore: Date, error: string): Promise<void> {
    await this.updatePending(id).set({ sending_at: null, not_before: notBefore, send_error: error.slice(0, 1000) }).execute();
  }

  /** Notes why a send's outcome is unknown; the message stays in flight until settled or reaped. */
  async noteUnknownOutcome(id: string, reason: string): Promise<void> {
    await this.updatePending(id).set({ send_error: `outcome unknown: ${reason}`.slice(0, 1000) }).execute();
  }

  /** Keeps every queued message to one contact back until `notBefore` (WhatsApp's pair rate limit). */
  async deferContact(contactId: string, notBefore: Date): Promise<void> {
    await this.db
      .updateTable('messages')
      .set({ not_before: sql`greatest(not_before, ${notBefore}::timestamptz)` })
      .where('contact_id', '=', contactId)
      .where('status', '=', 'pending')
      .where('direction', '=', 'outbound')
      .where('sending_at', 'is', null)
      .execute();
  }

  /** Fails a pending message for good; returns it, or undefined when it is no longer pending. */
  async fail(id: string, error: OutboxError): Promise<Message | undefined> {
    return this.updatePending(id)
      .set({
        status: 'failed',
        failed_at: sql`now()`,
        error_code: error.code,
        error_title: error.title ?? null,
        error_message: error.message.slice(0, 2000),
        sending_at: null,
        send_error: null,
        updated_at: sql`now()`,
      })
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Fails messages whose send has been in flight for over `graceSeconds` with no status webhook
   * to settle it (`unknown_outcome`) on one channel, except `exceptIds` (sends this process still awaits).
   * Rows another process is reaping or settling are skipped, not waited for: two reapers locking
   * the same rows in different orders would deadlock.
   */
  async reapUnknownOutcomes(graceSeconds: number, exceptIds: readonly string[], channelId: string): Promise<Message[]> {
    const due = this.db
      .selectFrom('messages')
      .select('id')
      .where('channel_id', '=', channelId)
      .where('status', '=', 'pending')
      .where('sending_at', '<', sql<Date>`now() - make_interval(secs => ${graceSeconds})`)
      .where('id', '<>', sql<string>`ALL(${idArray(exceptIds)})`)
      .forUpdate()
      .skipLocked();
    return this.db
      .updateTable('messages')
      .set({
        status: 'failed',
        failed_at: sql`now()`,
        error_code: 'unknown_outcome',
        error_message: 'The send timed out or FlowChat stopped before WhatsApp answered, and no status arrived; it was not resent',
        sending_at: null,
        updated_at: sql`now()`,
      })
      .where('id', 'in', due)
      .where('status', '=', 'pending')
      .returningAll()
      .execute();
  }
}
