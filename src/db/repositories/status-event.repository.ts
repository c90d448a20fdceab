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
    await this.db
      .insertInto('message_status_events')
      .values({
        message_id: event.messageId,
        external_id: event.externalId,
        status: event.status,
        occurred_at: event.occurredAt,
        error: event.error === null ? null : JSON.stringify(event.error),
        payload: JSON.stringify(event.payload),
      })
      .execute();
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
