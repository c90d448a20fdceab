/**
 * The sandbox's simulated customer: a text message posted as a Meta-shaped webhook, stored in the
 * inbox and processed on the spot through the same path real webhooks take, so the answer can
 * show the contact and message it produced.
 */
import { MessageRepository } from '../db/repositories/message.repository.js';
import { WhatsAppContactRepository } from '../db/repositories/whatsapp-contact.repository.js';
import type { Contact, Message } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { AppError, invalidField } from '../shared/errors.js';
import { sandboxMediaBody } from '../media/sandbox-media.js';
import { toE164 } from '../shared/phone.js';
import { inboundWebhook, sandboxWamid } from './outbound/sandbox-transport.js';
import type { WhatsApp } from './whatsapp-module.js';

export interface CustomerInput {
  readonly phone: string;
  readonly name?: string | undefined;
  /** Text, or the caption of `media_id`. */
  readonly text?: string | undefined;
  /** A file from `POST /api/v1/media` the customer sends. */
  readonly media_id?: string | undefined;
  readonly voice?: boolean | undefined;
}

export async function simulateCustomerMessage(
  db: Executor,
  whatsapp: WhatsApp,
  defaultCountry: string | undefined,
  input: CustomerInput,
): Promise<{ contact: Contact; message: Message }> {
  const phone = toE164(input.phone, defaultCountry);
  if (!phone) throw new AppError('invalid_phone', undefined, { field: 'phone' });
  const media = input.media_id === undefined ? undefined : await sandboxMediaBody(db, input.media_id, input.text, input.voice === true);
  if (!media && input.text === undefined) throw invalidField('text', 'give a text or a media_id');
  const wamid = sandboxWamid();
  const body = inboundWebhook({ waId: phone.slice(1), name: input.name?.trim() || undefined, text: input.text ?? '', ...(media ? { media } : {}), wamid, at: new Date() });
  const id = await whatsapp.ingest.store(body, 'sandbox');
  await whatsapp.processor.processStored(id);
  const message = await new MessageRepository(db).findByExternalId(wamid);
  const contact = message ? await new WhatsAppContactRepository(db).findById(message.contact_id) : undefined;
  if (!message || !contact) throw new Error('The simulated message was processed but not stored');
  return { contact, message };
}
