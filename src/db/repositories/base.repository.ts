/**
 * The seed's BaseModel, done right: identifiers (table, columns, sort keys) come only from each
 * repository's own lists and are quoted by Kysely; values are always parameters; a missing row is
 * a `NotFoundError`; every method runs inside a transaction when the repository is bound to one
 * with `with(trx)`.
 */
import { sql, type Kysely } from 'kysely';
import { AppError, NotFoundError, type ErrorCode } from '../../shared/errors.js';
import { isUuid } from '../../shared/ids.js';
import { afterPosition, checkedColumn, keysetOrder, toPage, type KeysetPosition, type KeysetValue, type Page, type SortOrder } from '../keyset.js';
import type { Database } from '../schema.js';

export interface FindAllOptions {
  readonly orderBy?: string;
  readonly order?: SortOrder;
  readonly limit?: number;
  readonly after?: KeysetPosition;
}

export abstract class BaseRepository<Row extends { id: string }> {
  protected abstract readonly table: keyof Database & string;
  /** Columns a caller may write through `create` and `update`. */
  protected abstract readonly writableColumns: readonly string[];
  /** Non-null columns a caller may sort by. */
  protected abstract readonly sortableColumns: readonly string[];
  protected readonly notFoundCode: ErrorCode = 'not_found';

  constructor(protected readonly db: Kysely<Database>) {}

  /** The same repository, running its queries on `executor` (a transaction). */
  with(executor: Kysely<Database>): this {
    const bound = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(bound, this, { db: executor });
    return bound;
  }

  protected checkFields(data: object): string[] {
    const keys = Object.keys(data);
    for (const key of keys) {
      if (!this.writableColumns.includes(key)) throw new AppError('invalid_field', `The field "${key.slice(0, 64)}" cannot be written`);
    }
    return keys;
  }

  /** Shapes a raw row for callers; repositories override it to drop columns that must not leave. */
  protected present(row: Row): Row {
    return row;
  }

  protected notFound(): NotFoundError {
    return new NotFoundError(this.notFoundCode);
  }

  protected assignments(data: object, keys: string[]) {
    const values = data as Record<string, unknown>;
    return sql.join(keys.map((key) => sql`${sql.ref(key)} = ${this.param(values[key])}`));
  }

  /** Objects and arrays of objects travel as JSON; plain arrays stay arrays (text[] columns). */
  protected param(value: unknown): unknown {
    if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value)) return JSON.stringify(value);
    return value;
  }

  async findById(id: string): Promise<Row | undefined> {
    if (!isUuid(id)) return undefined;
    const result = await sql<Row>`SELECT * FROM ${sql.table(this.table)} WHERE id = ${id}`.execute(this.db);
    return result.rows[0] && this.present(result.rows[0]);
  }

  async findByIdOrThrow(id: string): Promise<Row> {
    const row = await this.findById(id);
    if (!row) throw this.notFound();
    return row;
  }

  async findAll(options: FindAllOptions = {}): Promise<Page<Row>> {
    const column = checkedColumn(options.orderBy ?? 'created_at', this.sortableColumns);
    const order = options.order ?? 'desc';
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 1000);
    const where = options.after ? sql`WHERE ${afterPosition(column, order, options.after)}` : sql``;
    const result = await sql<Row>`
      SELECT * FROM ${sql.table(this.table)} ${where}
      ORDER BY ${keysetOrder(column, order)} LIMIT ${limit + 1}
    `.execute(this.db);
    return toPage(result.rows.map((row) => this.present(row)), limit, (row) => (row as unknown as Record<string, KeysetValue>)[column] ?? null);
  }

  async create(data: object): Promise<Row> {
    const keys = this.checkFields(data);
    const values = data as Record<string, unknown>;
    const result = await sql<Row>`
      INSERT INTO ${sql.table(this.table)} (${sql.join(keys.map((key) => sql.ref(key)))})
      VALUES (${sql.join(keys.map((key) => this.param(values[key])))})
      RETURNING *
    `.execute(this.db);
    const row = result.rows[0];
    if (!row) throw new Error(`INSERT INTO ${this.table} returned no row`);
    return this.present(row);
  }

  async update(id: string, data: object): Promise<Row> {
    const keys = this.checkFields(data);
    if (!isUuid(id)) throw this.notFound();
    if (keys.length === 0) return this.findByIdOrThrow(id);
    const result = await sql<Row>`
      UPDATE ${sql.table(this.table)} SET ${this.assignments(data, keys)}, updated_at = now()
      WHERE id = ${id} RETURNING *
    `.execute(this.db);
    const row = result.rows[0];
    if (!row) throw this.notFound();
    return this.present(row);
  }

  async delete(id: string): Promise<void> {
    if (!isUuid(id)) throw this.notFound();
    const result = await sql`DELETE FROM ${sql.table(this.table)} WHERE id = ${id}`.execute(this.db);
    if (Number(result.numAffectedRows ?? 0) === 0) throw this.notFound();
  }
}
