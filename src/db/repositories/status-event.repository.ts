/**
 * The history of every status webhook (`message_status_events`). A status for a message FlowChat
 * cannot match yet is kept here with no `message_id` ("parked") and applied when a message gets
 * that wamid.
 */
import { sql } from 'kysely';
import type { JsonObject } from '../schema.js';
import type { Executor } from '../transaction.js';

export interface StatusEventInput {
  readonly messageId: string | null;
  readonly externalId: string | null;
  readonly status: string;
  readonly occurredAt: Date;
  readonly error: JsonObject | null;
  readonly payload: JsonObject;
}

export interface ParkedStatus {
  readonly id: number;
  readonly external_id: string;
  readonly payload: JsonObject;
}

export class StatusEventRepository {
  constructor(private readonly db: Executor) {}

  async append(event: StatusEventInput): Promise<void> {
    await this.appendMany([event]);
  }

  /** Appends the events in one statement, their ids in the order given. */
  async appendMany(events: readonly StatusEventInput[]): Promise<void> {
    if (events.length === 0) return;
    // One JSON array (serialised natively), not six array literals the driver escapes item by item.
    const rows = events.map((event) => ({
      message_id: event.messageId,
      external_id: event.externalId,
      status: event.status,
      occurred_at: event.occurredAt.toISOString(),
      error: event.error,
      payload: event.payload,
    }));
    await sql`
      INSERT INTO message_status_events (message_id, external_id, status, occurred_at, error, payload)
      SELECT e.message_id, e.external_id, e.status, e.occurred_at, e.error, e.payload
      FROM ROWS FROM (jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS (message_id uuid, external_id text, status text, occurred_at timestamptz, error jsonb, payload jsonb))
        WITH ORDINALITY AS e(message_id, external_id, status, occurred_at, error, payload, n)
      ORDER BY n
    `.execute(this.db);
  }

  /** Locks and returns the parked statuses for these wamids, oldest first. */
  async parkedFor(externalIds: readonly string[]): Promise<ParkedStatus[]> {
    if (externalIds.length === 0) return [];
    const result = await sql<ParkedStatus>`
      SELECT id, external_id, payload FROM message_status_events
      WHERE message_id IS NULL AND external_id = ANY(${[...externalIds]}::text[])
      ORDER BY occurred_at, id
      FOR UPDATE SKIP LOCKED
    `.execute(this.db);
    return result.rows;
  }

  async attach(ids: readonly number[], messageId: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('message_status_events').set({ message_id: messageId }).where('id', '=', sql<number>`ANY(${[...ids]}::bigint[])`).execute();
  }
}
