/**
 * Full-text search over message text and captions with PostgreSQL's text search: the
 * `flowchat_search` configuration (migration 20240404: lower case, accents removed, every word
 * kept) applied to `q`, matched against the documents `message_search` stores for every message
 * with words (migration 20240405, kept by triggers), newest first by keyset.
 *
 * Left to itself the planner walks the messages newest first and tests each one whenever it
 * expects many hits, which takes seconds for a word it does not know (a rare one, or two common
 * words that never meet) at ten million messages; and collecting every hit from the index first
 * takes as long for a common word. So a page is found in steps, each bounded:
 * 1. the newest 4 000 documents (after the cursor) are tested in order, in one statement that
 *    stops at the page's last hit: a word in 1.5 % of messages or more fills the page here, and so
 *    does a short thread;
 * 2. else, when step 1 found some, the index's hits from the last 7 days before the cursor (a
 *    bitmap of the word's entries and the time range), sorted;
 * 3. else every hit from the index, sorted: few, as a word missing from the newest 4 000
 *    documents is in under about 0.1 % of them.
 * Testing a stored document costs a microsecond where parsing and unaccenting the text cost tens.
 * Steps 2 and 3 run without JIT: the planner's estimate for a word it has no statistics for
 * crosses the JIT threshold, and compiling took longer (8 ms) than running the query.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { toPage, type KeysetPosition, type Page } from '../db/keyset.js';
import type { Message } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';

export interface SearchHit extends Message {
  readonly contact_name: string | null;
  readonly contact_phone: string | null;
}

export interface SearchQuery {
  readonly q: string;
  readonly contactId?: string;
  /** Only hits from these channels (an agent's); unset: every channel. */
  readonly channelIds?: readonly string[];
  readonly limit: number;
  readonly after?: KeysetPosition;
}

/** Documents tested one by one, newest first, before the index is asked. */
const scanWindow = 4_000;
const recentDays = 7;

export class MessageSearchRepository {
  constructor(private readonly db: Executor) {}

  async search(query: SearchQuery): Promise<Page<SearchHit>> {
    const wanted = query.limit + 1;
    const matches = sql<SqlBool>`s.document @@ plainto_tsquery('flowchat_search'::regconfig, ${query.q})`;
    const scope = scopeOf(query, query.after);
    const newest = await this.scanNewest(query, matches, wanted);
    if (newest.complete) return toPage(await this.hits(this.db, idList(newest.ids)), query.limit, (row) => row.created_at);

    const before = query.after?.value ?? new Date();
    const fromIndex = async (db: Executor): Promise<SearchHit[]> => {
      // Within the caller's transaction this lasts until its end: harmless to the short statements that follow.
      await sql`SET LOCAL jit = off`.execute(db);
      if (newest.ids.length > 0) {
        const recent = await this.hits(db, this.fromIndex([matches, ...scope, sql<SqlBool>`s.created_at >= ${before}::timestamptz - make_interval(days => ${recentDays})`], wanted));
        if (recent.length === wanted) return recent;
      }
      return this.hits(db, this.fromIndex([matches, ...scope], wanted));
    };
    const found = this.db.isTransaction ? await fromIndex(this.db) : await this.db.transaction().execute(fromIndex);
    return toPage(found, query.limit, (row) => row.created_at);
  }

  /**
   * Tests the newest `scanWindow` documents (after the cursor, of the contact) in one statement
   * that stops reading at the `wanted`-th hit; complete when it found them all or the window held
   * the oldest document. The window's last row comes back too (`n = scanWindow`), telling which.
   */
  private async scanNewest(query: SearchQuery, matches: Expression<SqlBool>, wanted: number): Promise<{ ids: string[]; complete: boolean }> {
    const scope = scopeOf(query, query.after);
    const { rows } = await sql<{ id: string; hit: boolean; n: string }>`
      SELECT s.message_id AS id, ${matches} AS hit, s.n FROM (
        SELECT s.message_id, s.created_at, s.document, row_number() OVER (ORDER BY s.created_at DESC, s.message_id DESC) AS n FROM (
          SELECT s.message_id, s.created_at, s.document FROM message_search s ${scope.length > 0 ? sql`WHERE ${sql.join(scope, sql` AND `)}` : sql``}
          ORDER BY s.created_at DESC, s.message_id DESC LIMIT ${scanWindow}
        ) s
      ) s WHERE ${matches} OR s.n = ${scanWindow} ORDER BY s.created_at DESC, s.message_id DESC LIMIT ${wanted + 1}
    `.execute(this.db);
    const ids = rows.filter((row) => row.hit).slice(0, wanted).map((row) => row.id);
    return { ids, complete: ids.length === wanted || !rows.some((row) => Number(row.n) === scanWindow) };
  }

  /** The newest `wanted` ids among the index's hits (materialised, so the planner cannot walk instead). */
  private fromIndex(conditions: Expression<SqlBool>[], wanted: number): RawBuilder<{ id: string }> {
    return sql<{ id: string }>`
      WITH found AS MATERIALIZED (SELECT s.message_id AS id, s.created_at FROM message_search s WHERE ${sql.join(conditions, sql` AND `)})
      SELECT id FROM found ORDER BY created_at DESC, id DESC LIMIT ${wanted}
    `;
  }

  /** The messages a query answering `id`s names, with their contacts, newest first. */
  private async hits(db: Executor, ids: RawBuilder<unknown>): Promise<SearchHit[]> {
    const { rows } = await sql<SearchHit>`
      SELECT m.*, c.name AS contact_name, c.phone AS contact_phone
      FROM (${ids}) page JOIN messages m ON m.id = page.id JOIN contacts c ON c.id = m.contact_id
      ORDER BY m.created_at DESC, m.id DESC
    `.execute(db);
    return rows;
  }
}

/** The query's contact and channels, after `after` (each optional), as conditions on `message_search s`. */
function scopeOf(query: SearchQuery, after: KeysetPosition | undefined): Expression<SqlBool>[] {
  const scope: Expression<SqlBool>[] = [];
  if (query.contactId !== undefined) scope.push(sql<SqlBool>`s.contact_id = ${query.contactId}`);
  if (query.channelIds !== undefined) scope.push(sql<SqlBool>`s.channel_id = ANY(${[...query.channelIds]}::uuid[])`);
  if (after) scope.push(sql<SqlBool>`(s.created_at, s.message_id) < (${after.value}, ${after.id})`);
  return scope;
}

/** A query answering `ids`, for `hits`. */
function idList(ids: readonly string[]): RawBuilder<unknown> {
  return sql`SELECT id FROM unnest(${[...ids]}::uuid[]) AS page(id)`;
}
