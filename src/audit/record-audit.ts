/**
 * Appends an audit entry, in the caller's transaction so the entry exists exactly when the change
 * does. Entries are never updated or deleted.
 *
 * @example
 * await recordAudit(trx, { actor: actorOf(principal), action: 'contact.deleted', target: { type: 'contact', id } });
 */
import type { AuditActorType, JsonObject } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import type { Principal } from '../auth/auth.service.js';

export const auditActions = [
  'auth.login', 'auth.login_failed', 'user.created', 'user.updated', 'user.deleted', 'api_key.created', 'api_key.revoked',
  'webhook.created', 'webhook.deleted', 'contact.deleted', 'contacts.imported', 'contact.opted_out', 'contact.opted_in',
  'campaign.created', 'campaign.paused', 'campaign.resumed', 'campaign.canceled',
  'automation.created', 'automation.updated', 'automation.deleted', 'automation.ran',
  'channel.created', 'channel.updated', 'channel.deleted', 'channel.members_updated',
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditActor {
  readonly type: AuditActorType;
  readonly id: string | null;
}

export interface AuditEntry {
  readonly actor: AuditActor;
  readonly action: AuditAction;
  readonly target?: { readonly type: string; readonly id: string | null };
  readonly details?: JsonObject;
}

export const systemActor: AuditActor = { type: 'system', id: null };

/** The actor for a request's principal: the API key when one was used, else the user. */
export function actorOf(principal: Principal | null | undefined): AuditActor {
  if (!principal) return systemActor;
  if (principal.type === 'api_key' && principal.apiKeyId) return { type: 'api_key', id: principal.apiKeyId };
  return { type: 'user', id: principal.userId };
}

export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
