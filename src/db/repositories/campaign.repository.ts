/**
 * Campaigns and what their messages add up to. Counts come from one grouped query answered by the
 * `messages_campaign_contact` index alone (it includes the status); lifecycle changes are single
 * conditional UPDATEs, so two processes (or a request and the campaign worker) racing on one
 * campaign cannot both win.
 */
import { sql, type UpdateResult } from 'kysely';
import { isUuid } from '../../shared/ids.js';
import { toPage, type KeysetPosition, type Page } from '../keyset.js';
import type { Campaign, CampaignStatus, JsonObject, MessageStatus } from '../schema.js';
import type { Executor } from '../transaction.js';

const countedStatuses = ['pending', 'sent', 'delivered', 'read', 'failed', 'canceled'] as const;
export type CountedStatus = (typeof countedStatuses)[number];
export type CampaignCounts = Record<CountedStatus, number>;

async function updatedRows(update: { executeTakeFirst(): Promise<UpdateResult> }): Promise<number> {
  return Number((await update.executeTakeFirst()).numUpdatedRows);
}

export function emptyCounts(): CampaignCounts {
  return { pending: 0, sent: 0, delivered: 0, read: 0, failed: 0, canceled: 0 };
}

export interface NewCampaign {
  readonly name: string;
  readonly template: string;
  readonly audience: JsonObject;
  readonly segment_id: string | null;
  readonly scheduled_at: Date | null;
  readonly created_by: string | null;
  /** Unset: the environment channel. */
  readonly channel_id?: string;
}

export interface CampaignListOptions {
  readonly status?: CampaignStatus;
  readonly limit: number;
  readonly after?: KeysetPosition;
}

/** Held messages keep this reason while their campaign is paused. */
const PAUSED_HOLD = 'campaign_paused';

export class CampaignRepository {
  constructor(private readonly db: Executor) {}

  /** An update of the campaign's messages still queued (pending). */
  private updatePendingMessages(id: string) {
    return this.db.updateTable('messages').where('campaign_id', '=', id).where('status', '=', 'pending');
  }

  with(executor: Executor): CampaignRepository {
    return new CampaignRepository(executor);
  }

  async create(values: NewCampaign): Promise<Campaign> {
    return this.db
      .insertInto('campaigns')
      .values({ ...values, audience: JSON.stringify(values.audience) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async findById(id: string): Promise<Campaign | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Locks the campaign row for the rest of the transaction, so lifecycle changes queue up. */
  async findForUpdate(id: string): Promise<Campaign | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db.selectFrom('campaigns').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** Newest first. */
  async list(options: CampaignListOptions): Promise<Page<Campaign>> {
    let query = this.db.selectFrom('campaigns').selectAll();
    if (options.status) query = query.where('status', '=', options.status);
    if (options.after) {
      const { value, id } = options.after;
      query = query.where(sql<boolean>`(created_at, id) < (${value}, ${id})`);
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit + 1).execute();
    return toPage(rows, options.limit, (row) => row.created_at);
  }

  /** Messages of each campaign by status, in one grouped query. */
  async counts(ids: readonly string[]): Promise<Map<string, CampaignCounts>> {
    const counts = new Map<string, CampaignCounts>(ids.map((id) => [id, emptyCounts()]));
    if (ids.length === 0) return counts;
    const rows = await sql<{ campaign_id: string; status: MessageStatus; n: number }>`
      SELECT campaign_id, status, count(*)::int AS n FROM messages
      WHERE campaign_id = ANY(${[...ids]}::uuid[]) GROUP BY campaign_id, status
    `.execute(this.db);
    for (const row of rows.rows) {
      const entry = counts.get(row.campaign_id);
      if (entry && row.status in entry) entry[row.status as CountedStatus] += row.n;
    }
    return counts;
  }

  async setEnqueued(id: string, values: { total: number; skipped: number; status: CampaignStatus }): Promise<Campaign> {
    const now = sql<Date>`now()`;
    return this.db
      .updateTable('campaigns')
      .set({
        total: values.total,
        skipped: values.skipped,
        status: values.status,
        counters_settled: values.total === 0,
        started_at: values.status === 'running' || values.status === 'completed' ? now : null,
        finished_at: values.status === 'completed' ? now : null,
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Moves the campaign to `to` if it is in one of `from`; undefined otherwise. */
  async transition(id: string, from: readonly CampaignStatus[], to: CampaignStatus): Promise<Campaign | undefined> {
    const now = sql<Date>`now()`;
    return this.db
      .updateTable('campaigns')
      .set({
        status: to,
        updated_at: now,
        ...(to === 'paused' ? { paused_at: now } : {}),
        ...(to === 'running' ? { paused_at: null, paused_reason: null, started_at: sql<Date>`coalesce(started_at, now())` } : {}),
        ...(to === 'scheduled' ? { paused_at: null, paused_reason: null } : {}),
        ...(to === 'completed' || to === 'canceled' ? { finished_at: now } : {}),
      })
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Holds the campaign's queued messages that no sender has claimed (daily-limit waits included:
   * a paused campaign's messages wait for the resume, not for the limit).
   */
  async holdMessages(id: string): Promise<number> {
    return updatedRows(
      this.updatePendingMessages(id)
        .set({ hold_reason: PAUSED_HOLD })
        .where('sending_at', 'is', null)
        .where((eb) => eb.or([eb('hold_reason', 'is', null), eb('hold_reason', '<>', PAUSED_HOLD)])),
    );
  }

  async releaseMessages(id: string): Promise<number> {
    return updatedRows(this.updatePendingMessages(id).set({ hold_reason: null }).where('hold_reason', '=', PAUSED_HOLD));
  }

  /** Cancels every message of the campaign not yet claimed; messages in flight settle normally. */
  async cancelMessages(id: string): Promise<number> {
    return updatedRows(
      this.updatePendingMessages(id).set({ status: 'canceled', hold_reason: null, updated_at: sql<Date>`now()` }).where('sending_at', 'is', null),
    );
  }

  /** Starts scheduled campaigns whose time has come; returns them. */
  async startDue(): Promise<Campaign[]> {
    return this.db
      .updateTable('campaigns')
      .set({ status: 'running', started_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('status', '=', 'scheduled')
      .where('scheduled_at', '<=', sql<Date>`now()`)
      .returningAll()
      .execute();
  }

  /** Completes running campaigns with no message left pending; returns them. */
  async completeDrained(ids: readonly string[]): Promise<Campaign[]> {
    if (ids.length === 0) return [];
    const result = await sql<Campaign>`
      UPDATE campaigns c SET status = 'completed', finished_at = now(), updated_at = now()
      WHERE c.id = ANY(${[...ids]}::uuid[]) AND c.status = 'running'
        AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = c.id AND m.status = 'pending')
      RETURNING c.*
    `.execute(this.db);
    return result.rows;
  }

  /** Campaigns whose counts may still change: not finished, or finished within `withinHours`. */
  async live(withinHours: number): Promise<Campaign[]> {
    return this.db
      .selectFrom('campaigns')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('status', 'in', ['scheduled', 'running', 'paused']),
          eb('finished_at', '>', sql<Date>`now() - make_interval(hours => ${withinHours}::int)`),
        ]),
      )
      .execute();
  }

  /**
   * Claims the right to announce `counts` for the campaign: returns the campaign when they differ
   * from the last announced ones and the last announcement is at least `intervalMs` old, else
   * undefined. Of several processes asking at once, one gets the campaign.
   */
  async claimAnnouncement(id: string, counts: CampaignCounts, intervalMs: number): Promise<Campaign | undefined> {
    const json = JSON.stringify(counts);
    const result = await sql<Campaign>`
      UPDATE campaigns SET announced_counts = ${json}::jsonb, announced_at = now()
      WHERE id = ${id}
        AND announced_counts IS DISTINCT FROM ${json}::jsonb
        AND (announced_at IS NULL OR announced_at <= now() - make_interval(secs => ${intervalMs / 1000}::float8))
      RETURNING *
    `.execute(this.db);
    return result.rows[0];
  }

  /** Records `counts` as announced (an event carrying them was just recorded). */
  async markAnnounced(id: string, counts: CampaignCounts): Promise<void> {
    await this.db
      .updateTable('campaigns')
      .set({ announced_counts: JSON.stringify(counts), announced_at: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Adds up to `batchSize` more of one campaign's messages to their contacts' counters (which the
   * insert trigger leaves to this), moving the campaign's cursor; returns how many were added.
   * Run it in a transaction: the campaign row stays locked until the batch commits, so no other
   * process counts the same messages.
   */
  async settleCounters(batchSize: number): Promise<number> {
    const target = await this.db
      .selectFrom('campaigns')
      .select(['id', 'counters_cursor', 'created_at'])
      .where('counters_settled', '=', false)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!target) return 0;
    const batch = await this.db
      .selectFrom('messages')
      .select('contact_id')
      .where('campaign_id', '=', target.id)
      .$if(target.counters_cursor !== null, (query) => query.where('contact_id', '>', target.counters_cursor ?? ''))
      .orderBy('contact_id')
      .limit(batchSize)
      .execute();
    const ids = batch.map((row) => row.contact_id);
    if (ids.length > 0) {
      // A campaign's messages were all inserted by one statement, at the campaign's creation time.
      await this.db
        .updateTable('contacts')
        .set({
          message_count: sql`message_count + 1`,
          last_message_at: sql`GREATEST(last_message_at, ${target.created_at}::timestamptz)`,
        })
        .where('id', '=', sql<string>`ANY(${ids}::uuid[])`)
        .execute();
    }
    await this.db
      .updateTable('campaigns')
      .set({ counters_cursor: ids.at(-1) ?? target.counters_cursor, counters_settled: ids.length < batchSize })
      .where('id', '=', target.id)
      .execute();
    return ids.length;
  }
}
