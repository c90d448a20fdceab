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

function phoneFromWaId(waId: string): string {
  return `+${waId}`;
}

/** What identifies a contact to WhatsApp: enough to tell which one an identity names and what it lacks. */
export type ContactIdentity = Pick<Contact, 'id' | 'wa_user_id' | 'wa_id' | 'phone' | 'username' | 'name'>;
const identityColumns = ['id', 'wa_user_id', 'wa_id', 'phone', 'username', 'name'] as const;

/**
 * The contact among `candidates` that `identity` names: the one with its BSUID, else the one with
 * its `wa_id`, else the one with the phone made from it.
 */
export function pickByIdentity<T extends ContactIdentity>(candidates: readonly T[], identity: WhatsAppIdentity): T | undefined {
  const { bsuid, waId } = identity;
  const byBsuid = bsuid ? candidates.find((contact) => contact.wa_user_id === bsuid) : undefined;
  if (byBsuid || !waId) return byBsuid;
  return candidates.find((contact) => contact.wa_id === waId) ?? candidates.find((contact) => contact.phone === phoneFromWaId(waId));
}

/** What `fillIdentity` would fill in on `contact` from `identity`; undefined when nothing. */
export interface IdentityFill {
  readonly waId?: string;
  readonly phone?: string;
  readonly bsuid?: string;
  readonly username?: string;
  readonly name?: string;
}

export function identityFill(contact: ContactIdentity, identity: WhatsAppIdentity): IdentityFill | undefined {
  const name = identity.profileName?.trim();
  const fill: IdentityFill = {
    ...(identity.waId && contact.wa_id === null ? { waId: identity.waId } : {}),
    ...(identity.waId && contact.phone === null ? { phone: phoneFromWaId(identity.waId) } : {}),
    ...(identity.bsuid && contact.wa_user_id === null ? { bsuid: identity.bsuid } : {}),
    ...(identity.username && contact.username !== identity.username ? { username: identity.username } : {}),
    ...(name && contact.name === null ? { name } : {}),
  };
  return Object.keys(fill).length > 0 ? fill : undefined;
}

export class WhatsAppContactRepository {
  constructor(private readonly db: Executor) {}

  async findById(id: string): Promise<Contact | undefined> {
    return this.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findByIds(ids: readonly string[]): Promise<Contact[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('contacts').selectAll().where('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`).execute();
  }

  async findByIdentity(identity: WhatsAppIdentity): Promise<Contact | undefined> {
    const candidates = this.candidates([identity]);
    return candidates ? pickByIdentity(await candidates.selectAll().execute(), identity) : undefined;
  }

  /**
   * The identity of every contact any of `identities` could name (`pickByIdentity` tells which
   * one each names), locked for update in id order, in one statement: transactions locking many
   * contacts at once this way wait for each other and never deadlock.
   */
  async lockIdentities(identities: readonly WhatsAppIdentity[]): Promise<ContactIdentity[]> {
    const candidates = this.candidates(identities);
    return candidates ? candidates.select(identityColumns).orderBy('id').forNoKeyUpdate().execute() : [];
  }

  /** Contacts with any of the BSUIDs, `wa_id`s or phones of `identities`. */
  private candidates(identities: readonly WhatsAppIdentity[]) {
    const bsuids = [...new Set(identities.flatMap((identity) => (identity.bsuid ? [identity.bsuid] : [])))];
    const waIds = [...new Set(identities.flatMap((identity) => (identity.waId ? [identity.waId] : [])))];
    if (bsuids.length === 0 && waIds.length === 0) return undefined;
    return this.db.selectFrom('contacts').where((eb) =>
      eb.or([
        ...(bsuids.length > 0 ? [eb('wa_user_id', '=', sql<string>`ANY(${bsuids}::text[])`)] : []),
        ...(waIds.length > 0
          ? [eb('wa_id', '=', sql<string>`ANY(${waIds}::text[])`), eb('phone', '=', sql<string>`ANY(${waIds.map(phoneFromWaId)}::text[])`)]
          : []),
      ]),
    );
  }

  /** Inserts a contact for `identity`; undefined when a concurrent insert won (find it again). */
  async create(identity: WhatsAppIdentity): Promise<Contact | undefined> {
    return (await this.createMany([identity]))[0];
  }

  /**
   * Inserts a contact for each of `identities` (which share no id) in one statement; returns, in
   * the order given, each one's row, or undefined where an existing contact already holds one of
   * its ids. Rows go in in the order of their ids, so transactions inserting the same new contacts
   * at once wait for each other instead of deadlocking.
   */
  async createMany(identities: readonly WhatsAppIdentity[]): Promise<Array<Contact | undefined>> {
    if (identities.length === 0) return [];
    const key = (identity: WhatsAppIdentity) => `${identity.waId ?? ''}\u0000${identity.bsuid ?? ''}`;
    const rows = await this.db
      .insertInto('contacts')
      .values(
        [...identities].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map((identity) => ({
          phone: identity.waId ? phoneFromWaId(identity.waId) : null,
          wa_id: identity.waId ?? null,
          wa_user_id: identity.bsuid ?? null,
          username: identity.username ?? null,
          name: identity.profileName?.trim() || null,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .execute();
    return identities.map((identity) => pickByIdentity(rows, identity));
  }

  /**
   * Fills in the ids `contact` lacks (never taking one another contact holds), keeps the username
   * current, and takes the profile name when the contact has none. Returns the row, changed or not.
   */
  async fillIdentity(contact: Contact, identity: WhatsAppIdentity): Promise<Contact> {
    return (await this.fillIdentities([{ contact, identity }]))[0] ?? contact;
  }

  /**
   * `fillIdentity` for many contacts (each at most once, no two taking the same id) in one
   * statement; returns the rows it changed, those with nothing to fill in left out.
   */
  async fillIdentities(changes: ReadonlyArray<{ readonly contact: ContactIdentity; readonly identity: WhatsAppIdentity }>): Promise<Contact[]> {
    const fills = changes.flatMap(({ contact, identity }) => {
      const fill = identityFill(contact, identity);
      return fill ? [{ id: contact.id, ...fill }] : [];
    });
    if (fills.length === 0) return [];
    const values = (pick: (fill: (typeof fills)[number]) => string | undefined) => fills.map((fill) => pick(fill) ?? null);
    // Only what the row lacks as it is now, whatever `contact` said it lacked.
    const unclaimed = (column: 'wa_id' | 'wa_user_id' | 'phone') => {
      const [mine, given] = [sql.ref(`c.${column}`), sql.ref(`f.${column}`)];
      return sql`CASE WHEN ${mine} IS NULL AND ${given} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM contacts other WHERE other.${sql.ref(column)} = ${given} AND other.id <> c.id) THEN ${given} ELSE ${mine} END`;
    };
    const result = await sql<Contact>`
      UPDATE contacts c
      SET wa_id = ${unclaimed('wa_id')}, phone = ${unclaimed('phone')}, wa_user_id = ${unclaimed('wa_user_id')},
          username = coalesce(f.username, c.username), name = coalesce(c.name, f.name), updated_at = now()
      FROM unnest(
        ${fills.map((fill) => fill.id)}::uuid[], ${values((fill) => fill.waId)}::text[], ${values((fill) => fill.phone)}::text[],
        ${values((fill) => fill.bsuid)}::text[], ${values((fill) => fill.username)}::text[], ${values((fill) => fill.name)}::text[]
      ) AS f(id, wa_id, phone, wa_user_id, username, name)
      WHERE c.id = f.id
      RETURNING c.*
    `.execute(this.db);
    return result.rows;
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
