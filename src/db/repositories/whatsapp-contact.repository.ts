/**
 * Contacts as WhatsApp identifies them: by business-scoped user id (BSUID, `wa_user_id`), by
 * `wa_id`, or by the E.164 phone made from the `wa_id`, in that order. A user known only by a
 * username has no phone. Also the opt-out flag, which keywords and Meta's errors set.
 */
import { sql } from 'kysely';
import type { Contact, OptOutSource } from '../schema.js';
import type { Executor } from '../transaction.js';

export interface WhatsAppIdentity {
  readonly waId: string | undefined;
  readonly bsuid: string | undefined;
  readonly username: string | undefined;
  readonly profileName: string | undefined;
}

export function phoneFromWaId(waId: string): string {
  return `+${waId}`;
}

export class WhatsAppContactRepository {
  constructor(private readonly db: Executor) {}

  async findById(id: string): Promise<Contact | undefined> {
    return this.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findByIdentity(identity: WhatsAppIdentity): Promise<Contact | undefined> {
    if (identity.bsuid) {
      const found = await this.db.selectFrom('contacts').selectAll().where('wa_user_id', '=', identity.bsuid).executeTakeFirst();
      if (found) return found;
    }
    if (identity.waId) {
      const found = await this.db
        .selectFrom('contacts')
        .selectAll()
        .where((eb) => eb.or([eb('wa_id', '=', identity.waId ?? ''), eb('phone', '=', phoneFromWaId(identity.waId ?? ''))]))
        .orderBy(sql`wa_id IS NULL`)
        .executeTakeFirst();
      if (found) return found;
    }
    return undefined;
  }

  /** Inserts a contact for `identity`; undefined when a concurrent insert won (find it again). */
  async create(identity: WhatsAppIdentity): Promise<Contact | undefined> {
    return this.db
      .insertInto('contacts')
      .values({
        phone: identity.waId ? phoneFromWaId(identity.waId) : null,
        wa_id: identity.waId ?? null,
        wa_user_id: identity.bsuid ?? null,
        username: identity.username ?? null,
        name: identity.profileName?.trim() || null,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Fills in the ids `contact` lacks (never taking one another contact holds), keeps the username
   * current, and takes the profile name when the contact has none. Returns the row, changed or not.
   */
  async fillIdentity(contact: Contact, identity: WhatsAppIdentity): Promise<Contact> {
    const unclaimed = (column: 'wa_id' | 'wa_user_id' | 'phone', value: string) =>
      sql<boolean>`NOT EXISTS (SELECT 1 FROM contacts other WHERE other.${sql.ref(column)} = ${value} AND other.id <> ${contact.id})`;
    const name = identity.profileName?.trim();
    const changes = {
      ...(identity.waId && contact.wa_id === null ? { wa_id: sql<string | null>`CASE WHEN ${unclaimed('wa_id', identity.waId)} THEN ${identity.waId} ELSE wa_id END` } : {}),
      ...(identity.waId && contact.phone === null
        ? { phone: sql<string | null>`CASE WHEN ${unclaimed('phone', phoneFromWaId(identity.waId))} THEN ${phoneFromWaId(identity.waId)} ELSE phone END` }
        : {}),
      ...(identity.bsuid && contact.wa_user_id === null
        ? { wa_user_id: sql<string | null>`CASE WHEN ${unclaimed('wa_user_id', identity.bsuid)} THEN ${identity.bsuid} ELSE wa_user_id END` }
        : {}),
      ...(identity.username && contact.username !== identity.username ? { username: identity.username } : {}),
      ...(name && contact.name === null ? { name } : {}),
    };
    if (Object.keys(changes).length === 0) return contact;
    return this.db
      .updateTable('contacts')
      .set({ ...changes, updated_at: sql`now()` })
      .where('id', '=', contact.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Opts the contact out as of `at`; undefined when it already was. */
  async optOut(id: string, source: OptOutSource, at: Date): Promise<Contact | undefined> {
    return this.db
      .updateTable('contacts')
      .set({ opted_out_at: at, opted_out_source: source, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('opted_out_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  /** Opts the contact back in, unless its opt-out is newer than `at`; undefined when nothing changed. */
  async optIn(id: string, at: Date): Promise<Contact | undefined> {
    return this.db
      .updateTable('contacts')
      .set({ opted_out_at: null, opted_out_source: null, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('opted_out_at', 'is not', null)
      .where('opted_out_at', '<=', at)
      .returningAll()
      .executeTakeFirst();
  }
}
