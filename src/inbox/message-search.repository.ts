/**
 * Full-text search over message text and captions with PostgreSQL's text search: the
 * `flowchat_search` configuration (migration 20240404: lower case, accents removed, every word
 * kept) on both sides, served by the `messages_search` GIN index, newest first by keyset.
 *
 * Left to itself the planner walks the messages newest first and tests each one whenever it
 * expects many hits, which takes seconds for a word it does not know (a rare one, or two common
 * words that never meet) at ten million messages; and collecting every hit from the index first
 * takes as long for a common word. So a page is found in steps, each bounded:
 * 1. the newest 1 000 messages (after the cursor) are tested in order: a common word fills the page here;
 * 2. else the index's hits from the last 7 days before the cursor (a bitmap of the word's
 *    entries and the time range), sorted;
 * 3. else every hit from the index, which is then few, sorted.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { afterPosition, toPage, type KeysetPosition, type Page } from '../db/keyset.js';
import type { Message } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';

export interface SearchHit extends Message {
  readonly contact_name: string | null;
  readonly contact_phone: string | null;
}

export interface SearchQuery {
  readonly q: string;
  readonly contactId?: string;
  readonly limit: number;
  readonly after?: KeysetPosition;
}

/** Messages tested one by one, newest first, before the index is asked. */
const scanWindow = 1_000;
const recentDays = 7;

export class MessageSearchRepository {
  constructor(private readonly db: Executor) {}

  async search(query: SearchQuery): Promise<Page<SearchHit>> {
    const wanted = query.limit + 1;
    // The indexed expression, written exactly as the index has it.
    const matches = sql<SqlBool>`to_tsvector('flowchat_search'::regconfig, coalesce(m.content, '')) @@ plainto_tsquery('flowchat_search'::regconfig, ${query.q})`;
    const scope: Expression<SqlBool>[] = [];
    if (query.contactId !== undefined) scope.push(sql<SqlBool>`m.contact_id = ${query.contactId}`);
    if (query.after) scope.push(afterPosition('created_at', 'desc', query.after, 'm'));
    const where = (conditions: Expression<SqlBool>[]): RawBuilder<unknown> => (conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``);

    const newest = await this.hits(sql`
      SELECT m.id FROM (
        SELECT * FROM messages m ${where(scope)} ORDER BY m.created_at DESC, m.id DESC LIMIT ${scanWindow}
      ) m WHERE ${matches} ORDER BY m.created_at DESC, m.id DESC LIMIT ${wanted}
    `);
    if (newest.length === wanted) return toPage(newest, query.limit, (row) => row.created_at);

    const before = query.after?.value ?? new Date();
    const recent = await this.hits(this.fromIndex([matches, ...scope, sql<SqlBool>`m.created_at >= ${before}::timestamptz - make_interval(days => ${recentDays})`], wanted));
    if (recent.length === wanted) return toPage(recent, query.limit, (row) => row.created_at);
    return toPage(await this.hits(this.fromIndex([matches, ...scope], wanted)), query.limit, (row) => row.created_at);
  }

  /** The newest `wanted` ids among the index's hits (materialised, so the planner cannot walk instead). */
  private fromIndex(conditions: Expression<SqlBool>[], wanted: number): RawBuilder<{ id: string }> {
    return sql<{ id: string }>`
      WITH found AS MATERIALIZED (SELECT m.id, m.created_at FROM messages m WHERE ${sql.join(conditions, sql` AND `)})
      SELECT id FROM found ORDER BY created_at DESC, id DESC LIMIT ${wanted}
    `;
  }

  /** The messages of `ids` (a query answering `id`s in order) with their contacts, in that order. */
  private async hits(ids: RawBuilder<unknown>): Promise<SearchHit[]> {
    const { rows } = await sql<SearchHit>`
      SELECT m.*, c.name AS contact_name, c.phone AS contact_phone
      FROM (${ids}) page JOIN messages m ON m.id = page.id JOIN contacts c ON c.id = m.contact_id
      ORDER BY m.created_at DESC, m.id DESC
    `.execute(this.db);
    return rows;
  }
}
