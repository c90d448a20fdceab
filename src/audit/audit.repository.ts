/**
 * Reads the audit log, newest first, keyset paged on `(at, id)`. Writing is `recordAudit`'s alone,
 * and the database refuses updates and deletes of entries (migration 20240317).
 */
import type { Selectable } from 'kysely';
import { afterPosition, type KeysetPosition } from '../db/keyset.js';
import type { AuditActorType, AuditLogTable } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';

export type AuditRow = Selectable<AuditLogTable>;

export interface AuditFilters {
  /** The acting user's or API key's id. */
  readonly actor?: string | undefined;
  readonly actor_type?: AuditActorType | undefined;
  readonly action?: string | undefined;
  readonly target_type?: string | undefined;
  readonly target_id?: string | undefined;
  /** Inclusive. */
  readonly from?: Date | undefined;
  /** Exclusive. */
  readonly to?: Date | undefined;
}

export class AuditRepository {
  constructor(private readonly db: Executor) {}

  /** Up to `limit` entries matching `filters`, strictly after `after` in newest-first order. */
  list(filters: AuditFilters, limit: number, after?: KeysetPosition): Promise<AuditRow[]> {
    let query = this.db.selectFrom('audit_log').selectAll();
    if (filters.actor !== undefined) query = query.where('actor_id', '=', filters.actor);
    if (filters.actor_type !== undefined) query = query.where('actor_type', '=', filters.actor_type);
    if (filters.action !== undefined) query = query.where('action', '=', filters.action);
    if (filters.target_type !== undefined) query = query.where('target_type', '=', filters.target_type);
    if (filters.target_id !== undefined) query = query.where('target_id', '=', filters.target_id);
    if (filters.from !== undefined) query = query.where('at', '>=', filters.from);
    if (filters.to !== undefined) query = query.where('at', '<', filters.to);
    if (after !== undefined) query = query.where(afterPosition('at', 'desc', after));
    return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }
}
