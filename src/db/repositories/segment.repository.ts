/**
 * Saved segments (a name and an audience filter), and the contacts an audience selects: its size
 * and its first contacts, for previews, without creating anything.
 */
import { sql } from 'kysely';
import { audienceCondition, type Audience } from '../../campaigns/audience.js';
import { NotFoundError } from '../../shared/errors.js';
import { isUuid } from '../../shared/ids.js';
import type { Contact, JsonObject, Segment } from '../schema.js';
import type { Executor } from '../transaction.js';

export class SegmentRepository {
  constructor(private readonly db: Executor) {}

  async list(): Promise<Segment[]> {
    return this.db.selectFrom('segments').selectAll().orderBy(sql`lower(name)`).orderBy('id').execute();
  }

  async findById(id: string): Promise<Segment | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findByIdOrThrow(id: string): Promise<Segment> {
    const segment = await this.findById(id);
    if (!segment) throw new NotFoundError('segment_not_found');
    return segment;
  }

  async create(values: { name: string; filter: JsonObject; created_by: string | null }): Promise<Segment> {
    return this.db
      .insertInto('segments')
      .values({ ...values, filter: JSON.stringify(values.filter) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async update(id: string, values: { name?: string; filter?: JsonObject }): Promise<Segment> {
    if (!isUuid(id)) throw new NotFoundError('segment_not_found');
    const row = await this.db
      .updateTable('segments')
      .set({
        ...(values.name === undefined ? {} : { name: values.name }),
        ...(values.filter === undefined ? {} : { filter: JSON.stringify(values.filter) }),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NotFoundError('segment_not_found');
    return row;
  }

  async delete(id: string): Promise<void> {
    if (!isUuid(id)) throw new NotFoundError('segment_not_found');
    const result = await this.db.deleteFrom('segments').where('id', '=', id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new NotFoundError('segment_not_found');
  }

  /** How many contacts `audience` selects. */
  async countAudience(audience: Audience): Promise<number> {
    const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM contacts c WHERE ${audienceCondition(audience)}`.execute(this.db);
    return result.rows[0]?.n ?? 0;
  }

  /** The first `limit` contacts `audience` selects, by name. */
  async sampleAudience(audience: Audience, limit: number): Promise<Contact[]> {
    const result = await sql<Contact>`
      SELECT c.* FROM contacts c WHERE ${audienceCondition(audience)} ORDER BY c.sort_name, c.id LIMIT ${limit}
    `.execute(this.db);
    return result.rows;
  }
}
