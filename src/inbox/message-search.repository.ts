/**
 * Full-text search over message text and captions with PostgreSQL's text search: the
 * `flowchat_search` configuration (migration 20240404: lower case, accents removed, every word
 * kept) on both sides, served by the `messages_search` GIN index, newest first by keyset.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
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

export class MessageSearchRepository {
  constructor(private readonly db: Executor) {}

  async search(query: SearchQuery): Promise<Page<SearchHit>> {
    // The indexed expression, written exactly as the index has it.
    const conditions: Expression<SqlBool>[] = [
      sql<SqlBool>`to_tsvector('flowchat_search'::regconfig, coalesce(m.content, '')) @@ plainto_tsquery('flowchat_search'::regconfig, ${query.q})`,
    ];
    if (query.contactId !== undefined) conditions.push(sql<SqlBool>`m.contact_id = ${query.contactId}`);
    if (query.after) conditions.push(afterPosition('created_at', 'desc', query.after, 'm'));
    const { rows } = await sql<SearchHit>`
      SELECT m.*, c.name AS contact_name, c.phone AS contact_phone
      FROM messages m JOIN contacts c ON c.id = m.contact_id
      WHERE ${sql.join(conditions, sql` AND `)}
      ORDER BY m.created_at DESC, m.id DESC
      LIMIT ${query.limit + 1}
    `.execute(this.db);
    return toPage(rows, query.limit, (row) => row.created_at);
  }
}
