/** The audit log for admins: filtered, newest first, paged with signed cursors. */
import type { Foundation } from '../foundation.js';
import { AppError } from '../shared/errors.js';
import { AuditRepository, type AuditFilters, type AuditRow } from './audit.repository.js';

/** The filters as the query string gives them, with paging. */
export interface AuditQuery extends Omit<AuditFilters, 'from' | 'to'> {
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export interface AuditPage {
  readonly items: AuditRow[];
  readonly next_cursor: string | null;
}

const CURSOR_SCOPE = 'audit';

function instant(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new AppError('validation_failed', `Invalid ${field}`, [{ field, message: 'must be a date-time' }]);
  return date;
}

export class AuditService {
  private readonly entries: AuditRepository;

  constructor(private readonly ctx: Pick<Foundation, 'db' | 'cursors'>) {
    this.entries = new AuditRepository(ctx.db);
  }

  async list(query: AuditQuery): Promise<AuditPage> {
    const { limit = 50, cursor, from: fromText, to: toText, ...filters } = query;
    const from = instant(fromText, 'from');
    const to = instant(toText, 'to');
    if (from && to && from > to) throw new AppError('validation_failed', '`from` is after `to`', [{ field: 'from', message: 'must not be after to' }]);
    const after = cursor === undefined ? undefined : this.ctx.cursors.decode(cursor, CURSOR_SCOPE);
    if (after !== undefined && !(after.value instanceof Date)) throw new AppError('invalid_cursor');
    const rows = await this.entries.list({ ...filters, from, to }, limit + 1, after);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const next_cursor = rows.length > limit && last ? this.ctx.cursors.encode({ value: last.at, id: String(last.id) }, CURSOR_SCOPE) : null;
    return { items, next_cursor };
  }
}
