/**
 * The inbound webhook inbox: each signed POST is stored raw in one insert before it is
 * acknowledged, then processed from here; a failed processing keeps the row for a later retry.
 */
import { sql } from 'kysely';
import type { WebhookEventSource } from '../schema.js';
import type { Executor } from '../transaction.js';

export interface InboxEvent {
  readonly id: number;
  readonly body: string;
  readonly attempts: number;
}

export class WebhookEventRepository {
  constructor(private readonly db: Executor) {}

  async insert(body: string, source: WebhookEventSource): Promise<number> {
    const row = await this.db.insertInto('whatsapp_webhook_events').values({ body, source }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  /** Stores every event in one statement; returns their ids in the order given. */
  async insertMany(events: ReadonlyArray<{ readonly body: string; readonly source: WebhookEventSource }>): Promise<number[]> {
    if (events.length === 0) return [];
    const result = await sql<{ id: number }>`
      INSERT INTO whatsapp_webhook_events (body, source)
      SELECT body, source FROM unnest(${events.map((event) => event.body)}::text[], ${events.map((event) => event.source)}::text[])
        WITH ORDINALITY AS e(body, source, n)
      ORDER BY n
      RETURNING id
    `.execute(this.db);
    // Identity values are drawn in insertion order, which follows `n`.
    return result.rows.map((row) => row.id).sort((a, b) => a - b);
  }

  /** Locks the oldest event due for processing (inside the caller's transaction). */
  async claimNext(): Promise<InboxEvent | undefined> {
    const result = await sql<InboxEvent>`
      SELECT id, body, attempts FROM whatsapp_webhook_events
      WHERE processed_at IS NULL AND next_attempt_at <= now()
      ORDER BY next_attempt_at, id
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    `.execute(this.db);
    return result.rows[0];
  }

  /** Locks one event by id, waiting for whoever holds it; undefined once it is processed. */
  async lockUnprocessed(id: number): Promise<InboxEvent | undefined> {
    const result = await sql<InboxEvent>`
      SELECT id, body, attempts FROM whatsapp_webhook_events WHERE id = ${id} AND processed_at IS NULL FOR UPDATE
    `.execute(this.db);
    return result.rows[0];
  }

  async markProcessed(id: number): Promise<void> {
    await this.db.updateTable('whatsapp_webhook_events').set({ processed_at: sql`now()`, last_error: null }).where('id', '=', id).execute();
  }

  async recordFailure(id: number, error: string, retryInMs: number): Promise<void> {
    await this.db
      .updateTable('whatsapp_webhook_events')
      .set({
        attempts: sql`attempts + 1`,
        last_error: error.slice(0, 2000),
        next_attempt_at: sql`now() + make_interval(secs => ${retryInMs / 1000})`,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Deletes processed events older than `days`; returns how many. */
  async prune(days: number): Promise<number> {
    const result = await this.db
      .deleteFrom('whatsapp_webhook_events')
      .where('processed_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
