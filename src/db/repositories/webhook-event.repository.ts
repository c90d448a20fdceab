/**
 * The inbound webhook inbox: each signed POST is stored raw in one insert before it is
 * acknowledged, then processed from here; a failed processing keeps the row for a later retry.
 */
import { CompiledQuery, sql } from 'kysely';
import type { WebhookEventSource } from '../schema.js';
import type { Executor } from '../transaction.js';

export interface InboxEvent {
  readonly id: number;
  readonly body: string;
  readonly attempts: number;
}

export class WebhookEventRepository {
  constructor(private readonly db: Executor) {}

  /** Stores every event in one statement; returns their ids in the order given. */
  async insertMany(events: ReadonlyArray<{ readonly body: string; readonly source: WebhookEventSource }>): Promise<number[]> {
    if (events.length === 0) return [];
    // A parameter per body, sent as the bytes received, in a statement written out directly: no
    // JSON or array literal to escape the bodies into and no query builder walking every value,
    // which at thousands of webhooks a second were a good part of the server's work.
    const rows = events.map((_event, index) => `($${2 * index + 1}, $${2 * index + 2})`);
    const query = CompiledQuery.raw(
      `INSERT INTO whatsapp_webhook_events (body, source) VALUES ${rows.join(', ')} RETURNING id`,
      events.flatMap((event) => [event.body, event.source]),
    );
    const result = await this.db.executeQuery<{ id: number }>(query);
    // Identity values are drawn in the order the rows are listed.
    return result.rows.map((row) => row.id).sort((a, b) => a - b);
  }

  /**
   * Locks the oldest events due for processing (inside the caller's transaction), at most `limit`
   * of them, and returns them oldest first. Bodies are returned while they add up to no more than
   * `maxBytes` (always at least one), so a burst of large webhooks never sits in memory at once;
   * the events beyond that stay locked without a body and are left for the next claim.
   */
  async claimBatch(limit: number, maxBytes: number): Promise<InboxEvent[]> {
    const result = await sql<{ id: number; attempts: number; body: string | null }>`
      WITH claimed AS (
        SELECT id, attempts, next_attempt_at, octet_length(body) AS size FROM whatsapp_webhook_events
        WHERE processed_at IS NULL AND next_attempt_at <= now()
        ORDER BY next_attempt_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      ), ranked AS (
        SELECT id, attempts, sum(size) OVER (ORDER BY next_attempt_at, id) AS running, row_number() OVER (ORDER BY next_attempt_at, id) AS n
        FROM claimed
      )
      SELECT r.id, r.attempts, CASE WHEN r.n = 1 OR r.running <= ${maxBytes} THEN e.body END AS body
      FROM ranked r JOIN whatsapp_webhook_events e ON e.id = r.id
      ORDER BY r.n
    `.execute(this.db);
    const events: InboxEvent[] = [];
    for (const row of result.rows) {
      if (row.body === null) break;
      events.push({ id: row.id, attempts: row.attempts, body: row.body });
    }
    return events;
  }

  /** Locks one event by id, waiting for whoever holds it; undefined once it is processed. */
  async lockUnprocessed(id: number): Promise<InboxEvent | undefined> {
    const result = await sql<InboxEvent>`
      SELECT id, body, attempts FROM whatsapp_webhook_events WHERE id = ${id} AND processed_at IS NULL FOR UPDATE
    `.execute(this.db);
    return result.rows[0];
  }

  async markProcessed(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('whatsapp_webhook_events')
      .set({ processed_at: sql`now()`, last_error: null })
      .where('id', '=', sql<number>`ANY(${[...ids]}::bigint[])`)
      .execute();
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
