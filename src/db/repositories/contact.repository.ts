/**
 * Contacts. Search filters by tags (all or any) and a case-insensitive substring of name, email
 * or phone, sorts by a whitelisted column and pages by keyset; `message_count` is a column kept by
 * the messages triggers, so no row is counted at read time (the seed's join could not even run).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Expression, type SqlBool } from 'kysely';
import { isUuid } from '../../shared/ids.js';
import type { ErrorCode } from '../../shared/errors.js';
import { afterPosition, checkedColumn, keysetOrder, toPage, type KeysetPosition, type Page, type SortOrder } from '../keyset.js';
import type { Contact, JsonObject, JsonValue } from '../schema.js';
import { BaseRepository } from './base.repository.js';

const contactSortColumns = ['created_at', 'name', 'last_message_at', 'message_count'] as const;
export type ContactSort = (typeof contactSortColumns)[number];

export interface ContactSearch {
  readonly tags?: readonly string[];
  readonly match?: 'all' | 'any';
  readonly q?: string;
  readonly sort?: string;
  readonly order?: SortOrder;
  readonly limit?: number;
  readonly after?: KeysetPosition;
}

/** One contact of an import batch: null and empty values leave an existing contact's value alone. */
export interface ImportedContact {
  readonly phone: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly tags: readonly string[];
  readonly metadata: JsonObject;
}

/** What the batch upsert did with each phone; phones it refused (limits) are absent. */
export type BatchOutcome = ReadonlyMap<string, 'created' | 'updated'>;

export interface UpsertContactInput {
  readonly phone: string;
  readonly name?: string | null;
  readonly email?: string | null;
  readonly tags?: readonly string[];
  readonly metadata?: JsonObject;
}

/** The column a sort name stands for: `name` sorts by the display name (name, else phone). */
const sortColumnOf: Readonly<Record<ContactSort, { column: string; nullable: boolean }>> = {
  created_at: { column: 'created_at', nullable: false },
  name: { column: 'sort_name', nullable: false },
  last_message_at: { column: 'last_message_at', nullable: true },
  message_count: { column: 'message_count', nullable: false },
};

/** Phones are stored as `+` and digits: "(415) 555-01" should find "+1415555012…". */
function phoneSearchText(q: string): string {
  const digits = /^[\d\s().+-]+$/.test(q) ? q.replace(/\D/g, '') : '';
  return digits === '' ? q : digits;
}

/** Escapes LIKE wildcards so a search for "50%" finds "50%", not everything. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export class ContactRepository extends BaseRepository<Contact> {
  protected readonly table = 'contacts';
  protected readonly writableColumns = [
    'phone', 'name', 'email', 'tags', 'metadata', 'wa_user_id', 'username', 'opted_out_at', 'opted_out_source',
    'conversation_status', 'assignee_id', 'last_inbound_at', 'last_message_at',
  ] as const;
  protected readonly sortableColumns = ['created_at', 'sort_name', 'message_count'] as const;
  protected override readonly notFoundCode: ErrorCode = 'contact_not_found';

  async findByPhone(phone: string): Promise<Contact | undefined> {
    return this.db.selectFrom('contacts').selectAll().where('phone', '=', phone).executeTakeFirst();
  }

  /** The contacts among `ids` that exist, in one query. */
  async findByIds(ids: readonly string[]): Promise<Contact[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('contacts').selectAll().where('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`).execute();
  }

  /**
   * Inserts the contact, or updates the one with the same phone: given fields replace, tags are
   * added, metadata merges. Returns the row and whether it was created.
   */
  async upsertByPhone(input: UpsertContactInput): Promise<{ contact: Contact; created: boolean }> {
    const row = await this.db
      .insertInto('contacts')
      .values({
        phone: input.phone,
        name: input.name ?? null,
        email: input.email ?? null,
        tags: [...(input.tags ?? [])],
        metadata: JSON.stringify(input.metadata ?? {}),
      })
      .onConflict((oc) =>
        oc.column('phone').doUpdateSet({
          name: sql`coalesce(excluded.name, contacts.name)`,
          email: sql`coalesce(excluded.email, contacts.email)`,
          tags: sql`ARRAY(SELECT DISTINCT unnest(contacts.tags || excluded.tags) ORDER BY 1)`,
          metadata: sql`contacts.metadata || excluded.metadata`,
          updated_at: sql`now()`,
        }),
      )
      .returningAll()
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .executeTakeFirstOrThrow();
    const { inserted, ...contact } = row;
    return { contact, created: inserted };
  }

  /** The contact, locked until the transaction ends (read-modify-write without lost updates). */
  async findByIdForUpdate(id: string): Promise<Contact | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db.selectFrom('contacts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** Deletes the contact and returns it as it was; undefined when there was none. */
  async deleteReturning(id: string): Promise<Contact | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db.deleteFrom('contacts').where('id', '=', id).returningAll().executeTakeFirst();
  }

  /**
   * Upserts a batch by phone in one statement: new phones are inserted; for existing ones a given
   * name or email replaces the old, tags are added and metadata merges. A row whose merge would
   * pass `limits` is left alone and missing from the outcome. Phones must be distinct within the
   * batch (ON CONFLICT cannot touch one row twice). Ids are made here: the embedded engine's
   * gen_random_uuid() is slow enough to dominate a large batch.
   */
  async upsertBatch(rows: readonly ImportedContact[], limits: { readonly maxTags: number; readonly maxMetadataBytes: number }): Promise<BatchOutcome> {
    if (rows.length === 0) return new Map();
    const result = await sql<{ phone: string; inserted: boolean }>`
      INSERT INTO contacts (id, phone, name, email, tags, metadata)
      SELECT t.id, t.phone, t.name, t.email, ARRAY(SELECT jsonb_array_elements_text(t.tags)), t.metadata
      FROM unnest(
        ${rows.map(() => randomUUID())}::uuid[],
        ${rows.map((row) => row.phone)}::text[],
        ${rows.map((row) => row.name)}::text[],
        ${rows.map((row) => row.email)}::text[],
        ${rows.map((row) => JSON.stringify(row.tags))}::jsonb[],
        ${rows.map((row) => JSON.stringify(row.metadata))}::jsonb[]
      ) AS t(id, phone, name, email, tags, metadata)
      ON CONFLICT (phone) DO UPDATE SET
        name = coalesce(excluded.name, contacts.name),
        email = coalesce(excluded.email, contacts.email),
        tags = contacts.tags || ARRAY(SELECT tag FROM unnest(excluded.tags) AS tag WHERE tag <> ALL (contacts.tags)),
        metadata = contacts.metadata || excluded.metadata,
        updated_at = now()
      WHERE cardinality(contacts.tags || ARRAY(SELECT tag FROM unnest(excluded.tags) AS tag WHERE tag <> ALL (contacts.tags))) <= ${limits.maxTags}
        AND (excluded.metadata = '{}'::jsonb OR octet_length((contacts.metadata || excluded.metadata)::text) <= ${limits.maxMetadataBytes})
      RETURNING phone, (xmax = 0) AS inserted
    `.execute(this.db);
    return new Map(result.rows.map((row) => [row.phone, row.inserted ? 'created' : 'updated']));
  }


  async mergeMetadata(id: string, patch: Readonly<Record<string, JsonValue>>): Promise<Contact> {
    const removed = Object.entries(patch).filter(([, value]) => value === null).map(([key]) => key);
    const kept = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== null));
    const row = await this.db
      .updateTable('contacts')
      .set({ metadata: sql`(metadata || ${JSON.stringify(kept)}::jsonb) - ${removed}::text[]`, updated_at: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw this.notFound();
    return row;
  }

  async searchContacts(search: ContactSearch = {}): Promise<Page<Contact>> {
    const sort = checkedColumn(search.sort ?? 'created_at', contactSortColumns);
    const { column, nullable } = sortColumnOf[sort];
    const order = search.order ?? 'desc';
    const limit = Math.min(Math.max(search.limit ?? 50, 1), 200);
    const conditions: Expression<SqlBool>[] = [];
    const tags = [...new Set(search.tags ?? [])];
    if (tags.length > 0) {
      conditions.push(search.match === 'any' ? sql<SqlBool>`c.tags && ${tags}::text[]` : sql<SqlBool>`c.tags @> ${tags}::text[]`);
    }
    const q = search.q?.trim();
    if (q) {
      const pattern = likePattern(q);
      conditions.push(sql<SqlBool>`(c.name ILIKE ${pattern} OR c.email ILIKE ${pattern} OR c.phone ILIKE ${likePattern(phoneSearchText(q))})`);
    }
    if (search.after) conditions.push(afterPosition(column, order, search.after, 'c', nullable));
    const where = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
    // The page's ids first: the sort's index carries the tags (migration 20240320), so contacts a
    // tag filter skips cost no heap visit. Then the page's rows by primary key.
    const result = await sql<Contact>`
      SELECT c.* FROM (
        SELECT c.id FROM contacts c ${where}
        ORDER BY ${keysetOrder(column, order, 'c', nullable)}
        LIMIT ${limit + 1}
      ) page
      JOIN contacts c ON c.id = page.id
      ORDER BY ${keysetOrder(column, order, 'c', nullable)}
    `.execute(this.db);
    return toPage(result.rows, limit, (row) => (row as unknown as Record<string, Date | number | string | null>)[column] ?? null);
  }
}
