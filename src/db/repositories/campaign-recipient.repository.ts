/**
 * A campaign's recipient report: every contact of its audience, with its message's status (or
 * `skipped` and the reason it got none), paged by contact id. Messages and skipped recipients
 * are both indexed by (campaign, contact), so a page is a merge of two index ranges.
 */
import { sql, type RawBuilder } from 'kysely';
import type { MessageStatus } from '../schema.js';
import type { Executor } from '../transaction.js';

export type RecipientStatus = Exclude<MessageStatus, 'received'> | 'skipped';

export interface RecipientRow {
  readonly contact_id: string;
  readonly phone: string | null;
  readonly name: string | null;
  readonly message_id: string | null;
  readonly status: RecipientStatus;
  /** Why a pending message waits (a hold, a retry, a schedule) or why the contact was skipped. */
  readonly reason: string | null;
  readonly detail: string | null;
  readonly error_code: string | null;
  readonly error_title: string | null;
  readonly error_message: string | null;
  readonly sent_at: Date | null;
  readonly delivered_at: Date | null;
  readonly read_at: Date | null;
  readonly failed_at: Date | null;
  readonly updated_at: Date;
}

export interface RecipientQuery {
  readonly campaignId: string;
  readonly status?: RecipientStatus;
  /** The contact id the previous page ended at. */
  readonly afterContactId?: string;
  readonly limit: number;
}

export class CampaignRecipientRepository {
  constructor(private readonly db: Executor) {}

  /** Up to `limit` recipients after `afterContactId`, in contact id order. */
  async page(query: RecipientQuery): Promise<RecipientRow[]> {
    const { campaignId, status, afterContactId, limit } = query;
    const after = (alias: string): RawBuilder<unknown> =>
      afterContactId ? sql`AND ${sql.ref(`${alias}.contact_id`)} > ${afterContactId}::uuid` : sql``;
    // Each branch is ordered and limited on its own, so each reads one short range of its
    // (campaign, contact) index however large the campaign.
    const messages = sql`(
      SELECT m.contact_id, m.id AS message_id, m.status,
        CASE
          WHEN m.status <> 'pending' THEN NULL
          WHEN m.hold_reason IS NOT NULL THEN m.hold_reason
          WHEN m.sending_at IS NOT NULL THEN 'sending'
          WHEN m.not_before > now() AND (SELECT k.status FROM campaigns k WHERE k.id = ${campaignId}::uuid) = 'scheduled' THEN 'scheduled'
          WHEN m.not_before > now() THEN 'retry_wait'
        END AS reason,
        m.send_error AS detail, m.error_code, m.error_title, m.error_message,
        m.sent_at, m.delivered_at, m.read_at, m.failed_at, m.updated_at
      FROM messages m
      WHERE m.campaign_id = ${campaignId}::uuid ${status && status !== 'skipped' ? sql`AND m.status = ${status}` : sql``} ${after('m')}
      ORDER BY m.contact_id LIMIT ${limit}
    )`;
    const skipped = sql`(
      SELECT s.contact_id, NULL::uuid AS message_id, 'skipped' AS status, s.reason, s.detail,
        NULL AS error_code, NULL AS error_title, NULL AS error_message,
        NULL::timestamptz AS sent_at, NULL::timestamptz AS delivered_at, NULL::timestamptz AS read_at,
        NULL::timestamptz AS failed_at, s.created_at AS updated_at
      FROM campaign_skipped_recipients s
      WHERE s.campaign_id = ${campaignId}::uuid ${after('s')}
      ORDER BY s.contact_id LIMIT ${limit}
    )`;
    const union = status === undefined ? sql`${messages} UNION ALL ${skipped}` : status === 'skipped' ? skipped : messages;
    const result = await sql<RecipientRow>`
      SELECT r.*, c.phone, c.name FROM (${union}) r JOIN contacts c ON c.id = r.contact_id
      ORDER BY r.contact_id LIMIT ${limit}
    `.execute(this.db);
    return result.rows;
  }
}
