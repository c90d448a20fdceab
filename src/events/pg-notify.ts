/**
 * Cross-process fan-out on a PostgreSQL server: every transaction that records events also
 * announces them with one `pg_notify`, which PostgreSQL delivers to every listening process when
 * (and only if) the transaction commits, in commit order. The payload is only `{"id": N}`, N being
 * the transaction's newest event id: event ids follow commit order, so a listener reads the log
 * after the last event it published and has exactly what committed, however many events a
 * transaction recorded and whatever their size. (A notification per event, carrying the event,
 * cost the recording transaction more than inserting the events did.)
 */
import { sql } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { eventRecording, type RecordedEvent } from './record-event.js';

export const EVENTS_CHANNEL = 'flowchat_events';

export interface EventsNotification {
  /** The newest event id the notifying transaction recorded. */
  readonly id: number;
}

async function notify(db: Executor, events: readonly RecordedEvent[]): Promise<void> {
  const newest = events.at(-1);
  if (!newest) return;
  const payload: EventsNotification = { id: newest.id };
  await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(payload)})`.execute(db);
}

/** Announces every event recorded on `db` from now on (server engine only; idempotent). */
export function announceEventsWithNotify(db: Executor): void {
  eventRecording(db).onRecorded(notify);
}
