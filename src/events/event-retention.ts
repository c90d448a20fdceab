/** The event log is bounded by age: live streams replay from it only within this window. */
import { sql } from 'kysely';
import type { Executor } from '../db/transaction.js';

const EVENT_RETENTION_DAYS = 7;

/** Deletes events older than the retention window; returns how many. */
export async function pruneEvents(db: Executor, days = EVENT_RETENTION_DAYS): Promise<number> {
  const result = await db.deleteFrom('events').where('created_at', '<', sql<Date>`now() - make_interval(days => ${days})`).executeTakeFirst();
  return Number(result.numDeletedRows);
}
