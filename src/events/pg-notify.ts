/**
 * Cross-process fan-out on a PostgreSQL server: every recorded event is also announced with
 * `pg_notify` inside its own transaction, so PostgreSQL delivers it to every listening process
 * when (and only if) the transaction commits, in commit order. The payload is the event itself,
 * `{id, type, data}`, or only its id when too large for a notification (8000 bytes); listeners
 * then read it back.
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

/**
 * The payloads are built by PostgreSQL from the rows just inserted, rather than serialised here and
 * sent back as parameters: the events' data would otherwise cross the connection a second time.
 */
async function notify(db: Executor, events: readonly RecordedEvent[]): Promise<void> {
  await sql`
    SELECT pg_notify(${EVENTS_CHANNEL}, CASE WHEN octet_length(p.full) <= ${maxPayloadBytes} THEN p.full ELSE json_build_object('id', p.id)::text END)
    FROM (SELECT id, json_build_object('id', id, 'type', type, 'data', data)::text AS full FROM events WHERE id = ANY(${events.map((event) => event.id)}::bigint[])) AS p
    ORDER BY p.id
  `.execute(db);
}

/** Announces every event recorded from now on (server engine only; idempotent). */
export function announceEventsWithNotify(): void {
  onEventRecorded(notify);
}
