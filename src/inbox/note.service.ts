/**
 * Private notes: a message of the thread with `direction: "internal"` and `type: "note"`, written
 * by an agent for colleagues. The sender only takes outbound messages, so a note is never sent.
 */
import { ContactRepository } from '../db/repositories/contact.repository.js';
import type { Message } from '../db/schema.js';
import { transaction, type Executor } from '../db/transaction.js';
import { recordEvent } from '../events/record-event.js';
import { presentMessage } from '../resources/message.resource.js';

export class NoteService {
  constructor(private readonly db: Executor) {}

  /** Stores the note in the contact's thread and announces it as `message.created`; 404 for an unknown contact. */
  async add(contactId: string, authorId: string, content: string): Promise<Message> {
    return transaction(this.db, async (trx) => {
      const contact = await new ContactRepository(trx).findByIdOrThrow(contactId);
      const note = await trx
        .insertInto('messages')
        // On the conversation's number, so the note is seen by whoever may see the conversation.
        .values({ contact_id: contactId, direction: 'internal', type: 'note', status: 'read', content, from_user_id: authorId, ...(contact.channel_id ? { channel_id: contact.channel_id } : {}) })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordEvent(trx, 'message.created', { ...presentMessage(note) });
      return note;
    });
  }
}
