/**
 * The template catalogue, keyed by WABA id (`business_account_id`) so that every WhatsApp Business
 * Account keeps its own. Syncs write the whole list in one statement; a template no longer listed
 * stays as `DELETED`, so old messages still read.
 */
import { sql } from 'kysely';
import type { JsonValue, MessageTemplate } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';

export interface TemplateRow {
  readonly meta_id: string | null;
  readonly name: string;
  readonly language: string;
  readonly category: string | null;
  readonly status: string;
  readonly components: readonly JsonValue[];
  readonly parameters: readonly JsonValue[];
  readonly rejected_reason: string | null;
}

export interface TemplateFilter {
  readonly status?: string;
  readonly language?: string;
  readonly q?: string;
}

export interface StatusChange {
  readonly metaId: string | undefined;
  readonly name: string | undefined;
  readonly language: string | undefined;
  readonly status: string;
  readonly reason: string | undefined;
}

export const DELETED = 'DELETED';

export class TemplateRepository {
  constructor(private readonly db: Executor) {}

  /** The catalogues of these WABAs by name and language, filtered. */
  async list(businessAccountIds: readonly string[], filter: TemplateFilter = {}): Promise<MessageTemplate[]> {
    if (businessAccountIds.length === 0) return [];
    let query = this.db.selectFrom('message_templates').selectAll().where('business_account_id', 'in', [...businessAccountIds]);
    if (filter.status) query = query.where('status', '=', filter.status.toUpperCase());
    if (filter.language) query = query.where('language', '=', filter.language);
    if (filter.q) query = query.where('name', 'ilike', `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return query.orderBy('name').orderBy('language').orderBy('business_account_id').execute();
  }

  /** The templates with these WABAs, names and languages. */
  async find(keys: ReadonlyArray<{ account: string; name: string; language: string }>): Promise<MessageTemplate[]> {
    if (keys.length === 0) return [];
    return this.db
      .selectFrom('message_templates')
      .selectAll()
      .where(
        sql<boolean>`(business_account_id, name, language) IN (SELECT * FROM unnest(${keys.map((key) => key.account)}::text[], ${keys.map((key) => key.name)}::text[], ${keys.map((key) => key.language)}::text[]))`,
      )
      .execute();
  }

  /**
   * Inserts new templates and updates changed ones in one statement; returns the rows written,
   * each marked `inserted` or not. Unchanged templates are left as they are.
   */
  async upsert(businessAccountId: string, rows: readonly TemplateRow[]): Promise<Array<MessageTemplate & { inserted: boolean }>> {
    if (rows.length === 0) return [];
    const { rows: written } = await sql<MessageTemplate & { inserted: boolean }>`
      INSERT INTO message_templates AS t (business_account_id, meta_id, name, language, category, status, components, parameters, rejected_reason)
      SELECT ${businessAccountId}::text, r.meta_id, r.name, r.language, r.category, r.status, r.components, r.parameters, r.rejected_reason
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS r(meta_id text, name text, language text, category text, status text, components jsonb, parameters jsonb, rejected_reason text)
      ON CONFLICT (business_account_id, name, language) DO UPDATE SET
        meta_id = excluded.meta_id, category = excluded.category, status = excluded.status, components = excluded.components,
        parameters = excluded.parameters, rejected_reason = excluded.rejected_reason, updated_at = now()
      WHERE (t.meta_id, t.category, t.status, t.components, t.rejected_reason)
        IS DISTINCT FROM (excluded.meta_id, excluded.category, excluded.status, excluded.components, excluded.rejected_reason)
      RETURNING t.*, (xmax = 0) AS inserted
    `.execute(this.db);
    return written;
  }

  /** Marks `DELETED` every template of the WABA not among `kept`; returns them. */
  async markDeletedExcept(businessAccountId: string, kept: ReadonlyArray<{ name: string; language: string }>): Promise<MessageTemplate[]> {
    const { rows } = await sql<MessageTemplate>`
      UPDATE message_templates SET status = ${DELETED}, updated_at = now()
      WHERE business_account_id = ${businessAccountId} AND status <> ${DELETED}
        AND (name, language) NOT IN (SELECT * FROM unnest(${kept.map((key) => key.name)}::text[], ${kept.map((key) => key.language)}::text[]))
      RETURNING *
    `.execute(this.db);
    return rows;
  }

  /** Applies a status webhook to the template it names (by Meta's id, else by name and language); returns it when it changed. */
  async updateStatus(businessAccountId: string, change: StatusChange): Promise<MessageTemplate | undefined> {
    let query = this.db
      .updateTable('message_templates')
      .set({ status: change.status, rejected_reason: change.status === 'REJECTED' ? (change.reason ?? null) : null, updated_at: sql`now()` })
      .where('business_account_id', '=', businessAccountId)
      .where(sql<boolean>`(status, rejected_reason) IS DISTINCT FROM (${change.status}::text, ${change.status === 'REJECTED' ? (change.reason ?? null) : null}::text)`);
    if (change.metaId) {
      const { metaId, name, language } = change;
      query = query.where((eb) => eb.or([eb('meta_id', '=', metaId), ...(name && language ? [eb.and([eb('name', '=', name), eb('language', '=', language), eb('meta_id', 'is', null)])] : [])]));
    } else if (change.name && change.language) {
      query = query.where('name', '=', change.name).where('language', '=', change.language);
    } else {
      return undefined;
    }
    return query.returningAll().executeTakeFirst();
  }
}
