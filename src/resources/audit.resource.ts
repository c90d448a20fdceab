/** An audit entry as `GET /api/v1/audit` shows it: who (`actor`) did what (`action`) to what (`target`), when. */
import type { AuditActorType, JsonObject } from '../db/schema.js';
import type { AuditRow } from '../audit/audit.repository.js';

export interface AuditEntryResource {
  id: string;
  at: string;
  actor: { type: AuditActorType; id: string | null };
  action: string;
  target: { type: string | null; id: string | null };
  details: JsonObject;
}

export function presentAuditEntry(row: AuditRow): AuditEntryResource {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    actor: { type: row.actor_type, id: row.actor_id },
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    details: row.details,
  };
}
