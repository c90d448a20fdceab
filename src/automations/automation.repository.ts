/** Automations: the rules as stored, listed in creation order (the order they run in). */
import { sql } from 'kysely';
import type { AutomationTrigger, JsonObject, JsonValue } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { isUuid } from '../shared/ids.js';

export interface AutomationRow {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly trigger: AutomationTrigger;
  readonly conditions: JsonObject;
  readonly actions: JsonValue[];
  readonly created_at: Date;
  readonly updated_at: Date;
}

export interface AutomationFields {
  readonly name: string;
  readonly enabled: boolean;
  readonly trigger: AutomationTrigger;
  readonly conditions: JsonObject;
  readonly actions: JsonValue[];
}

const columns = ['id', 'name', 'enabled', 'trigger', 'conditions', 'actions', 'created_at', 'updated_at'] as const;

export class AutomationRepository {
  constructor(private readonly db: Executor) {}

  async list(): Promise<AutomationRow[]> {
    return this.db.selectFrom('automations').select(columns).orderBy('created_at').orderBy('id').execute();
  }

  /** The enabled rules, in the order they run. */
  async listEnabled(): Promise<AutomationRow[]> {
    return this.db.selectFrom('automations').select(columns).where('enabled', '=', true).orderBy('created_at').orderBy('id').execute();
  }

  async find(id: string): Promise<AutomationRow | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db.selectFrom('automations').select(columns).where('id', '=', id).executeTakeFirst();
  }

  async create(fields: AutomationFields, createdBy: string | null): Promise<AutomationRow> {
    return this.db
      .insertInto('automations')
      .values({ ...fields, conditions: JSON.stringify(fields.conditions), actions: JSON.stringify(fields.actions), created_by: createdBy })
      .returning(columns)
      .executeTakeFirstOrThrow();
  }

  async update(id: string, fields: Partial<AutomationFields>): Promise<AutomationRow | undefined> {
    if (!isUuid(id)) return undefined;
    const { conditions, actions, ...plain } = fields;
    return this.db
      .updateTable('automations')
      .set({
        ...plain,
        ...(conditions ? { conditions: JSON.stringify(conditions) } : {}),
        ...(actions ? { actions: JSON.stringify(actions) } : {}),
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirst();
  }

  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const deleted = await this.db.deleteFrom('automations').where('id', '=', id).returning('id').executeTakeFirst();
    return deleted !== undefined;
  }

  /**
   * Claims the rule's away reply to the contact: true when it has not answered the contact within
   * `hours` (the claim is recorded); false otherwise. One statement, so two processes cannot both win.
   */
  async claimAwayReply(automationId: string, contactId: string, hours: number): Promise<boolean> {
    const { rows } = await sql<{ contact_id: string }>`
      INSERT INTO automation_away_replies AS a (automation_id, contact_id, replied_at)
      VALUES (${automationId}, ${contactId}, clock_timestamp())
      ON CONFLICT (automation_id, contact_id) DO UPDATE SET replied_at = excluded.replied_at
        WHERE a.replied_at <= excluded.replied_at - make_interval(hours => ${hours})
      RETURNING contact_id
    `.execute(this.db);
    return rows.length > 0;
  }
}
