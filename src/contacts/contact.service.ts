/**
 * Contacts: create, read, search, change and delete, each change announced as `contact.updated`
 * and, for opt-outs and deletions, audited, in the same transaction as the change. Field rules
 * (E.164, tags, metadata size) come from contact-rules.ts, shared with the CSV import.
 */
import { actorOf, recordAudit } from '../audit/record-audit.js';
import type { CursorCodec } from '../db/cursor.js';
import { presentContact } from '../resources/contact.resource.js';
import { recordEvent } from '../events/record-event.js';
import type { Page } from '../db/keyset.js';
import { ContactRepository, type ContactSearch, type ContactSort } from '../db/repositories/contact.repository.js';
import type { Contact, ContactUpdate, JsonObject, JsonValue } from '../db/schema.js';
import { transaction, type Executor } from '../db/transaction.js';
import { signalWork } from '../db/work-signals.js';
import { MediaRepository } from '../media/media.repository.js';
import { AppError, ConflictError, DatabaseError, invalidField } from '../shared/errors.js';
import type { Principal } from '../auth/auth.service.js';
import { checkMetadataSize, MAX_TAG_LENGTH, normalizeName, normalizePhone, normalizeTags } from './contact-rules.js';

const deadlockDetected = '40P01';
const deleteAttempts = 3;

export interface ContactInput {
  readonly phone: string;
  readonly name?: string | null;
  readonly email?: string | null;
  readonly tags?: readonly string[];
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly opted_out?: boolean;
}

export type ContactPatch = Partial<ContactInput>;

/** The list's query as the API takes it: a cursor instead of a position; tags possibly comma-joined. */
export type ContactListQuery = Omit<ContactSearch, 'after' | 'sort'> & { readonly sort?: ContactSort; readonly cursor?: string };

export interface ContactListPage {
  readonly items: Contact[];
  readonly nextCursor: string | null;
}

/** A unique violation on the phone, whichever statement hit it, is the contract's 409. */
function duplicatePhone(error: unknown): unknown {
  return error instanceof ConflictError && error.field === 'phone' ? new AppError('duplicate_phone') : error;
}

/** The request body's metadata, known to be a JSON object by its schema. */
function asJsonObject(metadata: Readonly<Record<string, unknown>>): JsonObject {
  return metadata as JsonObject;
}

function optOutColumns(optedOut: boolean): Pick<ContactUpdate, 'opted_out_at' | 'opted_out_source'> {
  return optedOut ? { opted_out_at: new Date(), opted_out_source: 'agent' } : { opted_out_at: null, opted_out_source: null };
}

export class ContactService {
  private readonly contacts: ContactRepository;

  constructor(
    private readonly db: Executor,
    private readonly cursors: CursorCodec,
    private readonly defaultCountry: string | undefined,
  ) {
    this.contacts = new ContactRepository(db);
  }

  async get(id: string): Promise<Contact> {
    return this.contacts.findByIdOrThrow(id);
  }

  async list(query: ContactListQuery): Promise<ContactListPage> {
    const sort = query.sort ?? 'created_at';
    const order = query.order ?? 'desc';
    // The cursor is bound to the sort it was made for: a position in one order means nothing in another.
    const scope = `contacts:${sort}:${order}`;
    const tags = (query.tags ?? []).flatMap((item) => item.split(',')).map((tag) => tag.trim().toLowerCase()).filter((tag) => tag !== '');
    if (tags.some((tag) => tag.length > MAX_TAG_LENGTH)) throw invalidField('tags', `a tag has at most ${MAX_TAG_LENGTH} characters`);
    const page: Page<Contact> = await this.contacts.searchContacts({
      tags,
      match: query.match ?? 'all',
      ...(query.q === undefined ? {} : { q: query.q }),
      sort,
      order,
      limit: query.limit ?? 50,
      ...(query.cursor === undefined ? {} : { after: this.cursors.decode(query.cursor, scope) }),
    });
    return { items: page.items, nextCursor: page.next ? this.cursors.encode(page.next, scope) : null };
  }

  async create(input: ContactInput, principal?: Principal): Promise<Contact> {
    const metadata = asJsonObject(input.metadata ?? {});
    checkMetadataSize(metadata);
    const values = {
      phone: normalizePhone(input.phone, this.defaultCountry),
      name: normalizeName(input.name) ?? null,
      email: input.email?.trim() ?? null,
      tags: normalizeTags(input.tags ?? []),
      metadata,
      ...(input.opted_out ? optOutColumns(true) : {}),
    };
    try {
      return await transaction(this.db, async (trx) => {
        const contact = await this.contacts.with(trx).create(values);
        await recordEvent(trx, 'contact.updated', presentContact(contact));
        if (input.opted_out) await this.auditOptOut(trx, contact, true, principal);
        return contact;
      });
    } catch (error) {
      throw duplicatePhone(error);
    }
  }

  /** Replaces each named field, except metadata, which merges key by key (null removes a key). */
  async update(id: string, patch: ContactPatch, principal?: Principal): Promise<Contact> {
    const changes: ContactUpdate = {
      ...(patch.phone === undefined ? {} : { phone: normalizePhone(patch.phone, this.defaultCountry) }),
      ...(patch.name === undefined ? {} : { name: normalizeName(patch.name) ?? null }),
      ...(patch.email === undefined ? {} : { email: patch.email?.trim() ?? null }),
      ...(patch.tags === undefined ? {} : { tags: normalizeTags(patch.tags) }),
    };
    try {
      return await transaction(this.db, async (trx) => {
        const contacts = this.contacts.with(trx);
        const current = await contacts.findByIdForUpdate(id);
        if (!current) throw new AppError('contact_not_found');
        const optOutChanged = patch.opted_out !== undefined && patch.opted_out !== (current.opted_out_at !== null);
        let contact = await contacts.update(id, { ...changes, ...(optOutChanged && patch.opted_out !== undefined ? optOutColumns(patch.opted_out) : {}) });
        if (patch.metadata !== undefined) {
          contact = await contacts.mergeMetadata(id, patch.metadata as Readonly<Record<string, JsonValue>>);
          // Checked on the merged result, which the transaction discards when it is too large.
          checkMetadataSize(contact.metadata);
        }
        await recordEvent(trx, 'contact.updated', presentContact(contact));
        if (optOutChanged && patch.opted_out !== undefined) await this.auditOptOut(trx, contact, patch.opted_out, principal);
        return contact;
      });
    } catch (error) {
      throw duplicatePhone(error);
    }
  }

  async delete(id: string, principal?: Principal): Promise<void> {
    // A webhook batch can hold some of the contact's messages while it waits for others (each of
    // its runs locks in id order, the batch as a whole does not), and PostgreSQL then aborts one
    // side. Nothing of an aborted delete remains, so it runs again.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.deleteOnce(id, principal);
        return;
      } catch (error) {
        if (attempt === deleteAttempts || !(error instanceof DatabaseError && error.sqlState === deadlockDetected)) throw error;
      }
    }
  }

  private async deleteOnce(id: string, principal?: Principal): Promise<void> {
    await transaction(this.db, async (trx) => {
      // Its files go with it (the media worker removes their bytes once this commits).
      if ((await new MediaRepository(trx).releaseContact(id)) > 0) signalWork(trx, 'media');
      const contact = await this.contacts.with(trx).deleteReturning(id);
      if (!contact) throw new AppError('contact_not_found');
      // The resource as it was, marked deleted, so live clients can drop it.
      await recordEvent(trx, 'contact.updated', { ...presentContact(contact), deleted: true });
      await recordAudit(trx, { actor: actorOf(principal), action: 'contact.deleted', target: { type: 'contact', id }, details: { phone: contact.phone } });
    });
  }

  private async auditOptOut(trx: Executor, contact: Contact, optedOut: boolean, principal?: Principal): Promise<void> {
    await recordAudit(trx, {
      actor: actorOf(principal),
      action: optedOut ? 'contact.opted_out' : 'contact.opted_in',
      target: { type: 'contact', id: contact.id },
      details: { source: 'agent' },
    });
  }
}
