/**
 * A customer's message arriving: find or create the contact (by BSUID, then `wa_id`, then phone;
 * a username-only user has no phone), insert the message (a duplicate wamid inserts nothing and
 * changes nothing else), apply opt-out keywords, and announce what changed, all in the caller's
 * transaction. The messages trigger keeps the contact's counters and `last_inbound_at`.
 */
import { InboundMessageRepository } from '../db/repositories/inbound-message.repository.js';
import { WhatsAppContactRepository, type WhatsAppIdentity } from '../db/repositories/whatsapp-contact.repository.js';
import type { Contact, JsonObject, Message } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { recordEvent } from '../events/record-event.js';
import { presentContact } from '../http/presenters/contact.presenter.js';
import { presentMessage } from '../http/presenters/message.presenter.js';
import { parseInboundMessage } from '../whatsapp/inbound-content.js';
import { arrivalAt, objectAt, stringAt, timestampAt } from '../whatsapp/webhook-payload.js';
import { optInContact, optOutContact } from './opt-out.service.js';

export interface KeywordConfig {
  /** Upper case; a whole message equal to one (ignoring case and surrounding spaces) matches. */
  readonly optOutKeywords: readonly string[];
  readonly optInKeywords: readonly string[];
}

export interface Received {
  readonly contact: Contact;
  readonly message: Message;
}

/** The sender's identity from a message and the `contacts` array beside it. */
export function identityOf(message: JsonObject, profiles: readonly JsonObject[]): WhatsAppIdentity {
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

  /** Stores one item of a webhook's `messages` array; undefined for duplicates, reactions and unusable items. */
  async receive(db: Executor, raw: JsonObject, profiles: readonly JsonObject[]): Promise<Received | undefined> {
    const wamid = stringAt(raw, 'id');
    const identity = identityOf(raw, profiles);
    if (!wamid || (!identity.waId && !identity.bsuid)) return undefined;
    const at = arrivalAt(raw, 'timestamp');
    const contact = await this.contactFor(db, identity);
    const parsed = parseInboundMessage(raw);
    const inbound = new InboundMessageRepository(db);
    if (parsed.kind === 'reaction') {
      const target = await inbound.react(parsed.targetWamid, contact.id, parsed.emoji, timestampAt(raw, 'timestamp'));
      if (target) await recordEvent(db, 'message.updated', { ...presentMessage(target) });
      return undefined;
    }
    const message = await inbound.insert({ contactId: contact.id, wamid, type: parsed.type, content: parsed.content, metadata: parsed.metadata, at });
    if (!message) return undefined;
    await recordEvent(db, 'message.created', { ...presentMessage(message) });
    const keywordChange = parsed.type === 'text' ? await this.applyKeyword(db, contact.id, parsed.content, at) : undefined;
    const current = keywordChange ?? (await new WhatsAppContactRepository(db).findById(contact.id)) ?? contact;
    if (!keywordChange) await recordEvent(db, 'contact.updated', { ...presentContact(current) });
    return { contact: current, message };
  }

  private async contactFor(db: Executor, identity: WhatsAppIdentity): Promise<Contact> {
    const contacts = new WhatsAppContactRepository(db);
    const found = (await contacts.findByIdentity(identity)) ?? (await contacts.create(identity)) ?? (await contacts.findByIdentity(identity));
    if (!found) throw new Error('A contact for this WhatsApp user could be neither found nor created');
    return contacts.fillIdentity(found, identity);
  }

  /** STOP-like and START-like whole messages; returns the contact when its opt-out changed. */
  private async applyKeyword(db: Executor, contactId: string, text: string, at: Date): Promise<Contact | undefined> {
    const word = text.trim().toUpperCase();
    const inbound = new InboundMessageRepository(db);
    if (this.keywords.optOutKeywords.includes(word)) {
      // A START sent after this STOP but processed before it wins.
      if (await inbound.sentKeywordAfter(contactId, at, this.keywords.optInKeywords)) return undefined;
      return optOutContact(db, contactId, 'keyword', at, `keyword ${word}`);
    }
    if (this.keywords.optInKeywords.includes(word)) return optInContact(db, contactId, at, `keyword ${word}`);
    return undefined;
  }
}
