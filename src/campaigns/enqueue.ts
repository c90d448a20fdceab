/**
 * Enqueueing a campaign: one statement turns its audience into pending outbound template
 * messages, one per recipient, with each recipient's variables resolved in SQL, and records the
 * contacts skipped for a missing variable. No row travels to Node and back. Rows go in in contact
 * order, so the contact-keyed indexes and foreign-key checks walk their pages in order instead
 * of hopping at random (about a fifth faster at 100 k recipients).
 *
 * Message ids are the campaign's id with its last 48 bits replaced by the recipient's rank, so a
 * campaign's ids ascend in insert order: the primary key and the outbox index (which ends in the
 * id) are appended to instead of split at random, a fifth less work than md5-derived ids, and
 * PGlite's gen_random_uuid() alone took a fifth of an embedded enqueue. The 74 random bits left of
 * the campaign id keep them apart from every other campaign's and from random v4 ids; the version
 * and variant digits are the campaign id's own.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { audienceCondition, type Audience } from './audience.js';
import { renderedTemplate, renderedText, variableValue, type PreparedTemplate } from './template-variables.js';

export interface EnqueueInput {
  readonly campaignId: string;
  readonly audience: Audience;
  readonly template: PreparedTemplate;
  /** Messages wait for this time (a scheduled campaign); unset: they may go at once. */
  readonly notBefore: Date | null;
  /** Each message's content: the template's rendered body, variables as tokens (see `tokenizeText`); null: none. */
  readonly content?: string | null;
}

export interface EnqueueResult {
  /** Messages enqueued. */
  readonly total: number;
  /** Contacts of the audience left out for a missing variable. */
  readonly skipped: number;
}

const MISSING_VARIABLE = 'missing_variable';

/** The id of the campaign's message to the recipient ranked by `orderColumn` (see the header). */
function messageId(campaignId: string, orderColumn: string): RawBuilder<string> {
  const rank = sql`lpad(to_hex(row_number() OVER (ORDER BY ${sql.ref(orderColumn)})), 12, '0')`;
  return sql<string>`overlay(${campaignId}::text placing ${rank} from 25)::uuid`;
}

/** The campaign's channel, read once per statement. */
function campaignChannel(campaignId: string): RawBuilder<string> {
  return sql<string>`(SELECT channel_id FROM campaigns WHERE id = ${campaignId}::uuid)`;
}

/**
 * Inserts the campaign's messages (and its skipped recipients) in one statement.
 *
 * @example
 * const { total } = await enqueueCampaign(trx, { campaignId, audience, template: prepareTemplate(input), notBefore: null });
 */
export async function enqueueCampaign(db: Executor, input: EnqueueInput): Promise<EnqueueResult> {
  const { campaignId, audience, template, notBefore } = input;
  const content = input.content ?? null;
  if (template.variables.length === 0) {
    const result = await sql`
      INSERT INTO messages (id, contact_id, campaign_id, type, direction, status, template, not_before, content, channel_id)
      SELECT ${messageId(campaignId, 'c.id')}, c.id, ${campaignId}::uuid, 'template', 'outbound', 'pending', ${template.json}::jsonb, ${notBefore}::timestamptz, ${content}::text, ${campaignChannel(campaignId)}
      FROM contacts c WHERE ${audienceCondition(audience)} ORDER BY c.id
    `.execute(db);
    return { total: Number(result.numAffectedRows ?? 0), skipped: 0 };
  }

  const columns = template.variables.map((_, index) => `v${index}`);
  const values = sql.join(template.variables.map((variable, index) => sql`to_json(${variableValue(variable)})::text AS ${sql.ref(columns[index] ?? '')}`));
  const complete = sql<SqlBool>`${sql.join(columns.map((column) => sql`${sql.ref(column)} IS NOT NULL`), sql` AND `)}`;
  const missing: RawBuilder<string> = sql<string>`concat_ws(', ', ${sql.join(
    template.variables.map((variable, index) => sql`CASE WHEN ${sql.ref(columns[index] ?? '')} IS NULL THEN ${variable}::text END`),
  )})`;
  const result = await sql<{ total: number; skipped: number }>`
    WITH audience AS MATERIALIZED (
      SELECT c.id, ${values} FROM contacts c WHERE ${audienceCondition(audience)}
    ),
    skipped AS (
      INSERT INTO campaign_skipped_recipients (campaign_id, contact_id, reason, detail)
      SELECT ${campaignId}::uuid, id, ${MISSING_VARIABLE}::text, ${missing} FROM audience WHERE NOT (${complete})
    ),
    enqueued AS (
      INSERT INTO messages (id, contact_id, campaign_id, type, direction, status, template, not_before, content, channel_id)
      SELECT ${messageId(campaignId, 'id')}, id, ${campaignId}::uuid, 'template', 'outbound', 'pending', ${renderedTemplate(template, columns)}, ${notBefore}::timestamptz,
        ${content === null ? sql`NULL::text` : renderedText(content, columns)}, ${campaignChannel(campaignId)}
      FROM audience WHERE ${complete} ORDER BY id
    )
    SELECT count(*) FILTER (WHERE ${complete})::int AS total, count(*) FILTER (WHERE NOT (${complete}))::int AS skipped FROM audience
  `.execute(db);
  const row = result.rows[0];
  return { total: row?.total ?? 0, skipped: row?.skipped ?? 0 };
}
