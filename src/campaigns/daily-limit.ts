/**
 * WhatsApp's messaging limit (FLOWCHAT_DAILY_LIMIT): at most that many unique contacts reached
 * outside their 24-hour window in any rolling 24 hours. The sender asks `admitWithinDailyLimit`
 * about every batch it claims; campaign messages over the cap go back to the queue held with
 * reason `daily_limit` (still `pending`, visibly), and `releaseDailyLimitHolds` puts them back in
 * line as the window frees up. Conversation messages are never held, but they count.
 *
 * `messaging_limit_reach` keeps, per contact, the last time FlowChat reached it out of window, so
 * "unique contacts in the last 24 hours" is a count of its rows newer than 24 hours. Decisions
 * take a transaction-scoped advisory lock, so processes sharing the database share the cap.
 */
import { sql } from 'kysely';
import { transaction, type Executor } from '../db/transaction.js';

export const DAILY_LIMIT_HOLD = 'daily_limit';

/** Any claimed message: what the policy needs to know about it. */
export interface ClaimedForLimit {
  readonly id: string;
  readonly contact_id: string;
  readonly campaign_id: string | null;
}

export interface LimitDecision<T extends ClaimedForLimit> {
  /** Send these now. */
  readonly admitted: T[];
  /** Over the cap: already put back as pending, held with `daily_limit`. */
  readonly held: T[];
}

// An arbitrary constant naming the daily-limit lock among PostgreSQL advisory locks.
const LOCK_KEY = 7_316_240_316;

async function lock(db: Executor): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY}::bigint)`.execute(db);
}

/** Unique contacts reached out of window in the last 24 hours. */
export async function reachedInLastDay(db: Executor): Promise<number> {
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM messaging_limit_reach WHERE reached_at > now() - interval '24 hours'
  `.execute(db);
  return result.rows[0]?.n ?? 0;
}

/**
 * Splits claimed messages into those that may go now and those over the cap. Messages to a
 * contact in its window, or already reached in the last 24 hours, cost nothing; each other contact
 * costs one, and campaign messages that would go over `limit` are held. With no limit, everything
 * is admitted and nothing is recorded.
 *
 * @example
 * const claimed = await outbox.claim(50);
 * const { admitted } = await admitWithinDailyLimit(db, claimed, config.dailyLimit);
 */
export async function admitWithinDailyLimit<T extends ClaimedForLimit>(
  db: Executor,
  claimed: readonly T[],
  limit: number | undefined,
): Promise<LimitDecision<T>> {
  if (limit === undefined || claimed.length === 0) return { admitted: [...claimed], held: [] };
  return transaction(db, async (trx) => {
    await lock(trx);
    const contactIds = [...new Set(claimed.map((message) => message.contact_id))];
    const states = await sql<{ id: string; free: boolean }>`
      SELECT c.id,
        (c.last_inbound_at > now() - interval '24 hours' OR r.reached_at > now() - interval '24 hours') IS TRUE AS free
      FROM contacts c LEFT JOIN messaging_limit_reach r ON r.contact_id = c.id
      WHERE c.id = ANY(${contactIds}::uuid[])
    `.execute(trx);
    const free = new Set(states.rows.filter((row) => row.free).map((row) => row.id));
    let used = await reachedInLastDay(trx);
    const reached = new Set<string>();
    const admitted: T[] = [];
    const held: T[] = [];
    for (const message of claimed) {
      const contact = message.contact_id;
      if (free.has(contact) || reached.has(contact)) {
        admitted.push(message);
      } else if (message.campaign_id === null || used < limit) {
        reached.add(contact);
        used += 1;
        admitted.push(message);
      } else {
        held.push(message);
      }
    }
    if (reached.size > 0) {
      await sql`
        INSERT INTO messaging_limit_reach (contact_id, reached_at)
        SELECT unnest(${[...reached]}::uuid[]), now()
        ON CONFLICT (contact_id) DO UPDATE SET reached_at = excluded.reached_at
      `.execute(trx);
    }
    if (held.length > 0) {
      await sql`
        UPDATE messages SET sending_at = NULL, send_attempts = greatest(send_attempts - 1, 0), hold_reason = ${DAILY_LIMIT_HOLD}
        WHERE id = ANY(${held.map((message) => message.id)}::uuid[]) AND status = 'pending'
      `.execute(trx);
    }
    return { admitted, held };
  });
}

/**
 * Puts messages held by the limit back in line: those that now cost nothing (the contact wrote in,
 * or was reached meanwhile), and as many others, oldest first, as the window has room for. With no
 * limit (it was removed), all of them. Returns how many were released.
 */
export async function releaseDailyLimitHolds(db: Executor, limit: number | undefined): Promise<number> {
  if (limit === undefined) {
    const result = await sql`
      UPDATE messages SET hold_reason = NULL WHERE hold_reason = ${DAILY_LIMIT_HOLD} AND status = 'pending'
    `.execute(db);
    return Number(result.numAffectedRows ?? 0);
  }
  return transaction(db, async (trx) => {
    const waiting = await sql<{ one: number }>`
      SELECT 1 AS one FROM messages WHERE hold_reason = ${DAILY_LIMIT_HOLD} AND status = 'pending' LIMIT 1
    `.execute(trx);
    if (waiting.rows.length === 0) return 0;
    await lock(trx);
    const room = Math.max(limit - (await reachedInLastDay(trx)), 0);
    const result = await sql`
      WITH held AS (
        SELECT m.id, m.created_at, m.contact_id,
          (c.last_inbound_at > now() - interval '24 hours' OR r.reached_at > now() - interval '24 hours') IS TRUE AS free
        FROM messages m JOIN contacts c ON c.id = m.contact_id
        LEFT JOIN messaging_limit_reach r ON r.contact_id = m.contact_id
        WHERE m.hold_reason = ${DAILY_LIMIT_HOLD} AND m.status = 'pending'
      ),
      chosen AS (
        SELECT id FROM held WHERE free
        UNION ALL
        (SELECT id FROM held WHERE NOT free ORDER BY created_at, id LIMIT ${room})
      )
      UPDATE messages m SET hold_reason = NULL
      FROM chosen WHERE m.id = chosen.id AND m.hold_reason = ${DAILY_LIMIT_HOLD} AND m.status = 'pending'
    `.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  });
}
