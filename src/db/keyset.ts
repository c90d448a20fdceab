/**
 * Keyset pagination: a page ends at a position (the sort value and id of its last row) and the
 * next page starts strictly after it, so rows sharing a sort value are neither skipped nor
 * repeated. Sort columns come from each repository's own whitelist, never from input.
 */
import { sql, type RawBuilder } from 'kysely';
import { AppError } from '../shared/errors.js';

export type SortOrder = 'asc' | 'desc';
export type KeysetValue = string | number | Date | null;

export interface KeysetPosition {
  readonly value: KeysetValue;
  readonly id: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Where the next page starts; undefined on the last page. */
  readonly next: KeysetPosition | undefined;
}

/** Checks `column` against `allowed`, throwing `invalid_sort` for anything else. */
export function checkedColumn<C extends string>(column: string, allowed: readonly C[]): C {
  const found = allowed.find((candidate) => candidate === column);
  if (found === undefined) throw new AppError('invalid_sort', `Sorting by "${column.slice(0, 64)}" is not allowed`, { allowed });
  return found;
}

/**
 * `(column, id) > (value, id)` or `<` for descending order, with an optional table alias. For a
 * nullable column, nulls sort last in both orders.
 */
export function afterPosition(column: string, order: SortOrder, position: KeysetPosition, alias?: string, nullable = false): RawBuilder<boolean> {
  const ref = sql.ref(alias ? `${alias}.${column}` : column);
  const id = sql.ref(alias ? `${alias}.id` : 'id');
  const op = sql.raw(order === 'asc' ? '>' : '<');
  if (!nullable) return sql<boolean>`(${ref}, ${id}) ${op} (${position.value}, ${position.id})`;
  if (position.value === null) return sql<boolean>`(${ref} IS NULL AND ${id} ${op} ${position.id})`;
  return sql<boolean>`((${ref}, ${id}) ${op} (${position.value}, ${position.id}) OR ${ref} IS NULL)`;
}

/** `ORDER BY column order [NULLS LAST], id order`. */
export function keysetOrder(column: string, order: SortOrder, alias?: string, nullable = false): RawBuilder<unknown> {
  const direction = sql.raw(order === 'asc' ? 'ASC' : 'DESC');
  const nulls = sql.raw(nullable ? ' NULLS LAST' : '');
  return sql`${sql.ref(alias ? `${alias}.${column}` : column)} ${direction}${nulls}, ${sql.ref(alias ? `${alias}.id` : 'id')} ${direction}`;
}

/** Takes `limit + 1` rows fetched and returns the page with the position of its last row. */
export function toPage<T extends { id: string }>(rows: T[], limit: number, valueOf: (row: T) => KeysetValue): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last ? { value: valueOf(last), id: last.id } : undefined };
}
