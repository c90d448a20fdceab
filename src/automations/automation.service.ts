/**
 * Managing automations (admins): create, list, change, delete. Checks what the schema cannot: at
 * most one reply per rule, assignees that exist, tags as contacts keep them. Each change is audited.
 */
import { actorOf, recordAudit } from '../audit/record-audit.js';
import type { JsonObject, JsonValue } from '../db/schema.js';
import { transaction, type Executor } from '../db/transaction.js';
import type { Principal } from '../auth/auth.service.js';
import { normalizeTags } from '../contacts/contact-rules.js';
import { AppError, NotFoundError, invalidField } from '../shared/errors.js';
import type { Action, AutomationCreateBody, AutomationPatchBody, Conditions } from './automation.schema.js';
import { AutomationRepository, type AutomationFields, type AutomationRow } from './automation.repository.js';

export interface AutomationResource {
  id: string;
  name: string;
  enabled: boolean;
  trigger: AutomationRow['trigger'];
  conditions: JsonObject;
  actions: JsonObject[];
  created_at: string;
  updated_at: string;
}

export function presentAutomation(row: AutomationRow): AutomationResource {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    trigger: row.trigger,
    conditions: row.conditions,
    actions: row.actions.filter((action): action is JsonObject => action !== null && typeof action === 'object' && !Array.isArray(action)),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export class AutomationService {
  constructor(private readonly db: Executor) {}

  async list(): Promise<AutomationRow[]> {
    return new AutomationRepository(this.db).list();
  }

  async get(id: string): Promise<AutomationRow> {
    const found = await new AutomationRepository(this.db).find(id);
    if (!found) throw new NotFoundError('automation_not_found');
    return found;
  }

  async create(principal: Principal, body: AutomationCreateBody): Promise<AutomationRow> {
    return transaction(this.db, async (trx) => {
      const fields: AutomationFields = {
        name: body.name.trim(),
        enabled: body.enabled ?? true,
        trigger: body.trigger,
        conditions: checkedConditions(body.conditions ?? {}),
        actions: await checkedActions(trx, body.actions),
      };
      const created = await new AutomationRepository(trx).create(fields, principal.userId);
      await recordAudit(trx, { actor: actorOf(principal), action: 'automation.created', target: { type: 'automation', id: created.id }, details: { name: created.name } });
      return created;
    });
  }

  async update(principal: Principal, id: string, body: AutomationPatchBody): Promise<AutomationRow> {
    return transaction(this.db, async (trx) => {
      const fields: Partial<AutomationFields> = {
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
        ...(body.trigger !== undefined ? { trigger: body.trigger } : {}),
        ...(body.conditions !== undefined ? { conditions: checkedConditions(body.conditions) } : {}),
        ...(body.actions !== undefined ? { actions: await checkedActions(trx, body.actions) } : {}),
      };
      const updated = await new AutomationRepository(trx).update(id, fields);
      if (!updated) throw new NotFoundError('automation_not_found');
      await recordAudit(trx, { actor: actorOf(principal), action: 'automation.updated', target: { type: 'automation', id }, details: { fields: Object.keys(fields) } });
      return updated;
    });
  }

  async delete(principal: Principal, id: string): Promise<void> {
    await transaction(this.db, async (trx) => {
      if (!(await new AutomationRepository(trx).delete(id))) throw new NotFoundError('automation_not_found');
      await recordAudit(trx, { actor: actorOf(principal), action: 'automation.deleted', target: { type: 'automation', id } });
    });
  }
}

function checkedConditions(conditions: Conditions): JsonObject {
  return {
    ...conditions,
    ...(conditions.tags ? { tags: normalizeTags(conditions.tags, 'conditions.tags') } : {}),
    ...(conditions.channel_ids ? { channel_ids: conditions.channel_ids.map((id) => id.toLowerCase()) } : {}),
  } as JsonObject;
}

async function checkedActions(db: Executor, actions: readonly Action[]): Promise<JsonValue[]> {
  if (actions.filter((action) => action.type === 'reply').length > 1) throw invalidField('actions', 'at most one reply per automation');
  const users = [...new Set(actions.flatMap((action) => (action.type === 'assign' && 'user_id' in action ? [action.user_id.toLowerCase()] : [])))];
  if (users.length > 0) {
    const found = await db.selectFrom('users').select('id').where('id', 'in', users).execute();
    const missing = users.filter((id) => !found.some((row) => row.id === id));
    if (missing.length > 0) throw new AppError('user_not_found', 'An assign action names no user', { user_ids: missing });
  }
  return actions.map((action, index) => {
    if (action.type === 'add_tags') return { type: 'add_tags', tags: normalizeTags(action.tags, `actions[${index}].tags`) };
    if (action.type === 'assign' && 'user_id' in action) return { type: 'assign', user_id: action.user_id.toLowerCase() };
    return action as JsonValue;
  });
}
