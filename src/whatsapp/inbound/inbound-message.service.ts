/**
 * A customer's message arriving: find or create the contact (by BSUID, then `wa_id`, then phone;
 * a username-only user has no phone), insert the message (a duplicate wamid inserts nothing and
 * changes nothing else), apply opt-out keywords, and announce what changed, all in the caller's
 * transaction. The messages trigger keeps the contact's counters and `last_inbound_at`.
 *
 * `receive` takes one message. The webhook processor stores most messages of a batch together
 * instead (`plan`, `resolve`, `receivePlain`): chat messages that are neither reactions nor
 * keywords, from contacts that exist (their identity filled in as `receive` fills it) or are
 * new, a contact at most once per call. For those, the rows and events come out as `receive`
 * would make them one after another.
 */
import { InboundMessageRepository } from '../../db/repositories/inbound-message.repository.js';
import { WhatsAppContactRepository, pickByIdentity, type ContactIdentity, type WhatsAppIdentity } from '../../db/repositories/whatsapp-contact.repository.js';
import type { Contact, JsonObject, JsonValue, Message } from '../../db/schema.js';
import type { Executor } from '../../db/transaction.js';
import type { EventType } from '../../events/event-types.js';
import { recordEvent } from '../../events/record-event.js';
import { presentContact } from '../../resources/contact.resource.js';
import { presentMessage } from '../../resources/message.resource.js';
import { parseInboundMessage, type ParsedInbound } from './inbound-content.js';
import { attachInboundMedia } from '../../media/inbound-media.js';
import { arrivalAt, objectAt, stringAt, timestampAt } from './webhook-payload.js';
import { optInContact, optOutContact } from '../../contacts/opt-out.service.js';

export interface KeywordConfig {
  /** Upper case; a whole message equal to one (ignoring case and surrounding spaces) matches. */
  readonly optOutKeywords: readonly string[];
  readonly optInKeywords: readonly string[];
}

export interface Received {
  readonly contact: Contact;
  readonly message: Message;
}

/** An event a batch path leaves to its caller to record, in order with the others. */
export interface PendingEvent {
  readonly type: EventType;
  readonly data: JsonValue;
}

/** What `receivePlain` did with one item: its contact, the events to record, and the message stored (none for a duplicate). */
export interface PlainOutcome {
  readonly contact: ContactIdentity;
  readonly events: PendingEvent[];
  readonly received: Received | undefined;
}

/** A chat message that `receivePlain` can store together with others. */
export interface PlainInbound {
  readonly wamid: string;
  readonly identity: WhatsAppIdentity;
  readonly parsed: Extract<ParsedInbound, { kind: 'message' }>;
  readonly at: Date;
  readonly channelId: string;
}

/**
 * What `receive` would do with an item: nothing (`skip`), something only it does (`one`: a reaction,
 * with the message it reacts to, or a keyword), or store a plain message.
 */
export type InboundPlan =
  | { readonly kind: 'skip' }
  | { readonly kind: 'one'; readonly wamid: string; readonly identity: WhatsAppIdentity; readonly targetWamid: string | undefined }
  | { readonly kind: 'plain'; readonly inbound: PlainInbound };

/** The sender's identity from a message and the `contacts` array beside it. */
function identityOf(message: JsonObject, profiles: readonly JsonObject[]): WhatsAppIdentity {
  const from = stringAt(message, 'from');
  const fromUser = stringAt(message, 'from_user_id');
  const profile =
    profiles.find((candidate) => (from && stringAt(candidate, 'wa_id') === from) || (fromUser && stringAt(candidate, 'user_id') === fromUser)) ??
    (profiles.length === 1 ? profiles[0] : undefined);
  const waId = (from ?? stringAt(profile, 'wa_id'))?.replace(/\D/g, '');
  return {
    waId: waId ? waId : undefined,
    bsuid: fromUser ?? stringAt(profile, 'user_id'),
    username: stringAt(objectAt(profile, 'profile'), 'username'),
    profileName: stringAt(objectAt(profile, 'profile'), 'name'),
  };
}

export class InboundMessageService {
  constructor(private readonly keywords: KeywordConfig) {}

  /** Stores one item of a webhook's `messages` array, come in on `channelId`; undefined for duplicates, reactions and unusable items. */
  async receive(db: Executor, raw: JsonObject, profiles: readonly JsonObject[], channelId: string): Promise<Received | undefined> {
    const sender = senderOf(raw, profiles);
    if (!sender) return undefined;
    const { wamid, identity } = sender;
    const at = arrivalAt(raw, 'timestamp');
    const contact = await this.contactFor(db, identity);
    const parsed = parseInboundMessage(raw);
    const inbound = new InboundMessageRepository(db);
    if (parsed.kind === 'reaction') {
      const target = await inbound.react(parsed.targetWamid, contact.id, parsed.emoji, timestampAt(raw, 'timestamp'));
      if (target) await recordEvent(db, 'message.updated', { ...presentMessage(target) });
      return undefined;
    }
    const [message] = await attachInboundMedia(db, [await inbound.insert({ contactId: contact.id, wamid, type: parsed.type, content: parsed.content, metadata: parsed.metadata, at, channelId })]);
    if (!message) return undefined;
    await inbound.followChannels([message]);
    await recordEvent(db, 'message.created', { ...presentMessage(message) });
    const keyword = this.keywordOf(parsed);
    const keywordChange = keyword ? await this.applyKeyword(db, contact.id, keyword, at) : undefined;
    const current = keywordChange ?? (await new WhatsAppContactRepository(db).findById(contact.id)) ?? contact;
    if (!keywordChange) await recordEvent(db, 'contact.updated', { ...presentContact(current) });
    return { contact: current, message };
  }

  /** How `receive` would treat the item; reads nothing. */
  plan(raw: JsonObject, profiles: readonly JsonObject[], channelId: string): InboundPlan {
    const sender = senderOf(raw, profiles);
    if (!sender) return { kind: 'skip' };
    const parsed = parseInboundMessage(raw);
    if (parsed.kind === 'reaction') return { kind: 'one', ...sender, targetWamid: parsed.targetWamid };
    if (this.keywordOf(parsed)) return { kind: 'one', ...sender, targetWamid: undefined };
    return { kind: 'plain', inbound: { ...sender, parsed, at: arrivalAt(raw, 'timestamp'), channelId } };
  }

  /** Every contact that any of `identities` could name, locked in one statement, for `resolve`. */
  contactCandidates(db: Executor, identities: readonly WhatsAppIdentity[]): Promise<ContactIdentity[]> {
    return new WhatsAppContactRepository(db).lockIdentities(identities);
  }

  /**
   * The contact `identity` names among `candidates` (read just before), for `receivePlain`: the
   * contact, or null when there is none (it will be created).
   */
  resolve(candidates: readonly ContactIdentity[], identity: WhatsAppIdentity): ContactIdentity | null {
    return pickByIdentity(candidates, identity) ?? null;
  }

  /**
   * Stores plain messages together, each with the contact `resolve` gave (no contact twice, no
   * identity shared), in a few statements; returns, in order, the events `receive` would have
   * recorded for each (for the caller to record) and what it stored. As `receive` does, each
   * contact first takes what the message tells of the customer and it lacks (an imported contact's
   * `wa_id`, a BSUID, a new username), and a contact to create that another process created
   * meanwhile is used instead.
   */
  async receivePlain(db: Executor, items: ReadonlyArray<{ readonly inbound: PlainInbound; readonly contact: ContactIdentity | null }>): Promise<PlainOutcome[]> {
    const contacts = new WhatsAppContactRepository(db);
    const fresh = items.filter((item) => item.contact === null).map((item) => item.inbound.identity);
    const created = await contacts.createMany(fresh);
    const createdFor = new Map(fresh.map((identity, index) => [identity, created[index]]));
    const raced = fresh.filter((identity) => createdFor.get(identity) === undefined);
    const others = raced.length > 0 ? await contacts.lockIdentities(raced) : [];
    const contactOf = (identity: WhatsAppIdentity): ContactIdentity => {
      const contact = createdFor.get(identity) ?? this.resolve(others, identity);
      if (!contact) throw new Error('a contact for this WhatsApp user could be neither found nor created');
      return contact;
    };
    const found = items.map((item) => ({ inbound: item.inbound, contact: item.contact ?? contactOf(item.inbound.identity) }));
    const filled = new Map((await contacts.fillIdentities(found.map(({ inbound, contact }) => ({ contact, identity: inbound.identity })))).map((contact) => [contact.id, contact]));
    const resolved = found.map(({ inbound, contact }) => ({ inbound, contact: filled.get(contact.id) ?? contact }));
    const repository = new InboundMessageRepository(db);
    const inserted = await repository.insertMany(
      resolved.map(({ inbound, contact }) => ({
        contactId: contact.id,
        wamid: inbound.wamid,
        type: inbound.parsed.type,
        content: inbound.parsed.content,
        metadata: inbound.parsed.metadata,
        at: inbound.at,
        channelId: inbound.channelId,
      })),
    );
    const messages = await attachInboundMedia(db, inserted);
    const stored = messages.filter((message): message is Message => message !== undefined);
    await repository.followChannels(stored);
    const current = new Map((await contacts.findByIds([...new Set(stored.map((message) => message.contact_id))])).map((contact) => [contact.id, contact]));
    return resolved.map(({ contact }, index) => {
      const message = messages[index];
      if (!message) return { contact, events: [], received: undefined };
      // Locked or created by this transaction, so still there.
      const after = current.get(contact.id);
      if (!after) throw new Error(`contact ${contact.id} disappeared while its message was stored`);
      return {
        contact,
        events: [
          { type: 'message.created', data: { ...presentMessage(message) } },
          { type: 'contact.updated', data: { ...presentContact(after) } },
        ],
        received: { contact: after, message },
      };
    });
  }

  private async contactFor(db: Executor, identity: WhatsAppIdentity): Promise<Contact> {
    const contacts = new WhatsAppContactRepository(db);
    const found = (await contacts.findByIdentity(identity)) ?? (await contacts.create(identity)) ?? (await contacts.findByIdentity(identity));
    if (!found) throw new Error('A contact for this WhatsApp user could be neither found nor created');
    return contacts.fillIdentity(found, identity);
  }

  /** A whole text message that is an opt-out or opt-in keyword: the word, upper case. */
  private keywordOf(parsed: ParsedInbound): string | undefined {
    if (parsed.kind !== 'message' || parsed.type !== 'text') return undefined;
    const word = parsed.content.trim().toUpperCase();
    return this.keywords.optOutKeywords.includes(word) || this.keywords.optInKeywords.includes(word) ? word : undefined;
  }

  /** STOP-like and START-like whole messages; returns the contact when its opt-out changed. */
  private async applyKeyword(db: Executor, contactId: string, word: string, at: Date): Promise<Contact | undefined> {
    if (this.keywords.optOutKeywords.includes(word)) {
      // A START sent after this STOP but processed before it wins.
      if (await new InboundMessageRepository(db).sentKeywordAfter(contactId, at, this.keywords.optInKeywords)) return undefined;
      return optOutContact(db, contactId, 'keyword', at, `keyword ${word}`);
    }
    return optInContact(db, contactId, at, `keyword ${word}`);
  }
}

/** The message id and sender of an item, when it has both (else it is ignored). */
function senderOf(raw: JsonObject, profiles: readonly JsonObject[]): { wamid: string; identity: WhatsAppIdentity } | undefined {
  const wamid = stringAt(raw, 'id');
  const identity = identityOf(raw, profiles);
  return wamid && (identity.waId || identity.bsuid) ? { wamid, identity } : undefined;
}
