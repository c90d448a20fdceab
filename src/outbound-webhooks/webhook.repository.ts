/**
 * Registered webhook endpoints, and each endpoint's health: consecutive failed attempts and the
 * time of the last success and failure, shared by every FlowChat process through the database.
 */
import { sql, type Selectable } from 'kysely';
import type { WebhooksTable } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { isUuid } from '../shared/ids.js';

export type WebhookRow = Selectable<WebhooksTable>;

export interface NewWebhookRow {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly secret_ciphertext: string;
  readonly created_by: string | null;
}

/** One endpoint's standing, for /metrics. */
export interface EndpointHealth {
  readonly id: string;
  readonly consecutive_failures: number;
  readonly pending: number;
  readonly failed: number;
}

/** A success refreshes `last_success_at` at most this often, so a busy endpoint's row stays cool. */
const SUCCESS_REFRESH = sql`interval '5 seconds'`;

export class WebhookRepository {
  constructor(private readonly db: Executor) {}

  with(executor: Executor): WebhookRepository {
    return new WebhookRepository(executor);
  }

  create(row: NewWebhookRow): Promise<WebhookRow> {
    return this.db
      .insertInto('webhooks')
      .values({ ...row, events: [...row.events] })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  list(): Promise<WebhookRow[]> {
    return this.db.selectFrom('webhooks').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  }

  async findById(id: string): Promise<WebhookRow | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Deletes the endpoint and, by cascade, its deliveries; returns the deleted row. */
  async delete(id: string): Promise<WebhookRow | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db.deleteFrom('webhooks').where('id', '=', id).returningAll().executeTakeFirst();
  }

  async recordSuccess(id: string): Promise<void> {
    await sql`
      UPDATE webhooks SET consecutive_failures = 0, last_success_at = now()
      WHERE id = ${id} AND (consecutive_failures > 0 OR last_success_at IS NULL OR last_success_at < now() - ${SUCCESS_REFRESH})
    `.execute(this.db);
  }

  async recordFailure(id: string, error: string): Promise<void> {
    await this.db
      .updateTable('webhooks')
      .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1), last_failure_at: sql`now()`, last_error: error }))
      .where('id', '=', id)
      .execute();
  }

  /** Every endpoint with its pending deliveries and the deliveries that failed in the last day. */
  async health(): Promise<EndpointHealth[]> {
    const result = await sql<EndpointHealth>`
      SELECT w.id, w.consecutive_failures,
        (SELECT count(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'pending')::int AS pending,
        (SELECT count(*) FROM webhook_deliveries d
          WHERE d.webhook_id = w.id AND d.status = 'failed' AND d.finished_at > now() - interval '1 day')::int AS failed
      FROM webhooks w
    `.execute(this.db);
    return result.rows;
  }
}
