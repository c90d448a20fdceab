/**
 * Cross-process fan-out on a PostgreSQL server: every recorded event is also announced with
 * `pg_notify` inside its own transaction, so PostgreSQL delivers it to every listening process
 * when (and only if) the transaction commits, in commit order. The payload is the event itself,
 * or only its id when too large for a notification (8000 bytes); listeners then read it back.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { onEventRecorded, type RecordedEvent } from './record-event.js';

export const EVENTS_CHANNEL = 'flowchat_events';
const maxPayloadBytes = 7_900;

export interface NotifiedEvent {
  readonly id: number;
  readonly type?: string;
  readonly data?: unknown;
}

export function notificationPayload(event: RecordedEvent): string {
  const full = JSON.stringify({ id: event.id, type: event.type, data: event.data });
  return Buffer.byteLength(full) <= maxPayloadBytes ? full : JSON.stringify({ id: event.id });
}

async function notify(db: Executor, events: readonly RecordedEvent[]): Promise<void> {
  const payloads = events.map(notificationPayload);
  await sql`SELECT pg_notify(${EVENTS_CHANNEL}, payload) FROM unnest(${payloads}::text[]) WITH ORDINALITY AS p(payload, n) ORDER BY n`.execute(db);
}

/** Announces every event recorded from now on (server engine only; idempotent). */
export function announceEventsWithNotify(): void {
  onEventRecorded(notify);
}
