/**
 * The webhook outbox: one row per (endpoint, event), written in the event's transaction, claimed
 * by dispatchers as a lease and settled after each attempt. A claim moves `next_attempt_at` past
 * the longest an attempt can take and sets a fresh `claim_token`; the lock taken by
 * `FOR UPDATE SKIP LOCKED` lasts only for that one statement, never for the HTTP call. A
 * dispatcher that dies mid-attempt leaves a lease that simply runs out, and another process (or
 * the restarted one) tries again.
 */
import { sql, type Selectable } from 'kysely';
import type { KeysetPosition } from '../db/keyset.js';
import type { WebhookDeliveriesTable, WebhookDeliveryAttemptsTable, WebhookDeliveryStatus } from '../db/schema.js';
import { transaction, type Executor } from '../db/transaction.js';
import { WebhookRepository } from './webhook.repository.js';

export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookDeliveryAttemptsTable>;

/** An endpoint with deliveries due now, with what the dispatcher needs to call it. */
export interface DueEndpoint {
  readonly id: string;
  readonly url: string;
  readonly secret_ciphertext: string;
}

export interface ClaimedDelivery {
  readonly id: number;
  readonly webhook_id: string;
  readonly event_id: number;
  readonly event_type: string;
  readonly payload: string;
  readonly retry_count: number;
  readonly claim_token: string;
}

export interface AttemptOutcome {
  readonly delivered: boolean;
  readonly responseStatus: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

export interface DeliveryListOptions {
  readonly limit: number;
  readonly after?: KeysetPosition | undefined;
  readonly status?: WebhookDeliveryStatus | undefined;
}

export interface DeliveryWithAttempts extends DeliveryRow {
  readonly attempts: AttemptRow[];
}

const seconds = (ms: number) => sql`make_interval(secs => ${ms / 1000})`;

export class DeliveryRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Adds a delivery of each of the recorded events `eventIds` for every endpoint subscribed to its
   * type, in one statement, in the caller's transaction; returns how many. The body POSTed is
   * `{id, type, created_at, data}` (`id` the event id as a string), built here from the event rows
   * so that events no endpoint wants cost no more than an index probe.
   */
  async enqueue(eventIds: readonly number[]): Promise<number> {
    if (eventIds.length === 0) return 0;
    const result = await sql`
      INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload)
      SELECT w.id, e.id, e.type,
        json_build_object('id', e.id::text, 'type', e.type, 'created_at', to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'data', e.data)::text
      FROM events e JOIN webhooks w ON e.type = ANY(w.events)
      WHERE e.id = ANY(${[...eventIds]}::bigint[])
      ORDER BY e.id, w.id
    `.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  async dueEndpoints(): Promise<DueEndpoint[]> {
    const result = await sql<DueEndpoint>`
      SELECT w.id, w.url, w.secret_ciphertext FROM webhooks w
      WHERE EXISTS (
        SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'pending' AND d.next_attempt_at <= now()
      )
    `.execute(this.db);
    return result.rows;
  }

  /** Leases up to `limit` due deliveries of one endpoint for `leaseMs`, oldest due first. */
  async claim(webhookId: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const result = await sql<ClaimedDelivery>`
      UPDATE webhook_deliveries SET claim_token = gen_random_uuid(), next_attempt_at = now() + ${seconds(leaseMs)}
      WHERE id IN (
        SELECT id FROM webhook_deliveries
        WHERE webhook_id = ${webhookId} AND status = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at, id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, webhook_id, event_id, event_type, payload, retry_count, claim_token
    `.execute(this.db);
    return result.rows;
  }

  /**
   * Records an attempt and settles the delivery: delivered; or pending again after `retryDelayMs`;
   * or failed once it has been retried for `retryWindowSeconds`. Returns the new status, or
   * undefined when the lease was lost (the delivery was redelivered or deleted meanwhile).
   */
  async settle(claim: ClaimedDelivery, outcome: AttemptOutcome, retryDelayMs: number, retryWindowSeconds: number): Promise<WebhookDeliveryStatus | undefined> {
    return transaction(this.db, async (trx) => {
      // The endpoint's row before the delivery's: the order a cascading delete locks them in.
      const webhooks = new WebhookRepository(trx);
      if (outcome.delivered) await webhooks.recordSuccess(claim.webhook_id);
      else await webhooks.recordFailure(claim.webhook_id, outcome.error ?? `HTTP ${outcome.responseStatus ?? '?'}`);
      await sql`
        INSERT INTO webhook_delivery_attempts (delivery_id, response_status, error, duration_ms)
        SELECT id, ${outcome.responseStatus}::int, ${outcome.error}::text, ${Math.round(outcome.durationMs)}::int
        FROM webhook_deliveries WHERE id = ${claim.id}
      `.execute(trx);
      const status = outcome.delivered
        ? sql`'delivered'`
        : sql`CASE WHEN now() >= retry_started_at + make_interval(secs => ${retryWindowSeconds}) THEN 'failed' ELSE 'pending' END`;
      const result = await sql<{ status: WebhookDeliveryStatus }>`
        UPDATE webhook_deliveries SET
          status = ${status},
          retry_count = retry_count + ${outcome.delivered ? 0 : 1}::int,
          next_attempt_at = now() + ${seconds(retryDelayMs)},
          finished_at = CASE WHEN ${status} = 'pending' THEN NULL ELSE now() END,
          claim_token = NULL
        WHERE id = ${claim.id} AND claim_token = ${claim.claim_token}
        RETURNING status
      `.execute(trx);
      return result.rows[0]?.status;
    });
  }

  /** Gives a lease back unused (the process is stopping): due again at once, no attempt counted. */
  async release(claim: ClaimedDelivery): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: sql<Date>`now()`, claim_token: null })
      .where('id', '=', claim.id)
      .where('claim_token', '=', claim.claim_token)
      .execute();
  }

  /** One endpoint's deliveries, newest first, each with every attempt in order. */
  async listWithAttempts(webhookId: string, options: DeliveryListOptions): Promise<DeliveryWithAttempts[]> {
    let query = this.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
    if (options.status) query = query.where('status', '=', options.status);
    if (options.after) query = query.where('id', '<', Number(options.after.id));
    return this.withAttempts(await query.orderBy('id', 'desc').limit(options.limit).execute());
  }

  /** The deliveries, each with every attempt in order (one query for all of them). */
  async withAttempts(deliveries: DeliveryRow[]): Promise<DeliveryWithAttempts[]> {
    if (deliveries.length === 0) return [];
    const attempts = await this.db
      .selectFrom('webhook_delivery_attempts')
      .selectAll()
      .where('delivery_id', 'in', deliveries.map((delivery) => delivery.id))
      .orderBy('id')
      .execute();
    return deliveries.map((delivery) => ({ ...delivery, attempts: attempts.filter((attempt) => attempt.delivery_id === delivery.id) }));
  }

  findByEvent(webhookId: string, eventId: number): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).where('event_id', '=', eventId).executeTakeFirst();
  }

  /** Puts a delivered or failed delivery back in the queue with a fresh retry schedule, due now. */
  redeliver(webhookId: string, eventId: number): Promise<DeliveryRow | undefined> {
    return this.db
      .updateTable('webhook_deliveries')
      .set({
        status: 'pending',
        retry_count: 0,
        retry_started_at: sql<Date>`now()`,
        next_attempt_at: sql<Date>`now()`,
        finished_at: null,
        claim_token: null,
      })
      .where('webhook_id', '=', webhookId)
      .where('event_id', '=', eventId)
      .where('status', '<>', 'pending')
      .returningAll()
      .executeTakeFirst();
  }

  /** Deletes up to `batch` settled deliveries older than `retentionDays`; returns how many. */
  async prune(retentionDays: number, batch = 1000): Promise<number> {
    const result = await sql`
      DELETE FROM webhook_deliveries WHERE id IN (
        SELECT id FROM webhook_deliveries
        WHERE status <> 'pending' AND finished_at < now() - make_interval(days => ${retentionDays}::int)
        LIMIT ${batch}
      )
    `.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }
}
