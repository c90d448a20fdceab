/**
 * Opting contacts out of and back into messages when WhatsApp says so: a keyword in an inbound
 * message, error 131050, or a `user_preferences` webhook. Each change is audited (actor: system)
 * and announced as `contact.updated`, in the caller's transaction.
 */
import { recordAudit, systemActor } from '../audit/record-audit.js';
import { WhatsAppContactRepository } from '../db/repositories/whatsapp-contact.repository.js';
import type { Contact, OptOutSource } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { recordEvent } from '../events/record-event.js';
import { presentContact } from '../resources/contact.resource.js';

/** Opts the contact out as of `at`; returns it when it changed. */
export async function optOutContact(db: Executor, contactId: string, source: OptOutSource, at: Date, reason: string): Promise<Contact | undefined> {
  const changed = await new WhatsAppContactRepository(db).optOut(contactId, source, at);
  if (!changed) return undefined;
  await recordAudit(db, { actor: systemActor, action: 'contact.opted_out', target: { type: 'contact', id: contactId }, details: { source, reason } });
  await recordEvent(db, 'contact.updated', { ...presentContact(changed) });
  return changed;
}

/** Opts the contact back in unless it opted out after `at`; returns it when it changed. */
export async function optInContact(db: Executor, contactId: string, at: Date, reason: string): Promise<Contact | undefined> {
  const changed = await new WhatsAppContactRepository(db).optIn(contactId, at);
  if (!changed) return undefined;
  await recordAudit(db, { actor: systemActor, action: 'contact.opted_in', target: { type: 'contact', id: contactId }, details: { reason } });
  await recordEvent(db, 'contact.updated', { ...presentContact(changed) });
  return changed;
}
