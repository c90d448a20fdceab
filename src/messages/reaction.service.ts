/**
 * An agent reacting to a message of a thread: only inside the customer's 24-hour window and only
 * to a message WhatsApp has (a wamid). The reaction shows on the message at once
 * (`message.updated`) and is queued for the reaction sender in the same transaction; `""` removes it.
 */
import { ContactRepository } from '../db/repositories/contact.repository.js';
import { InboundMessageRepository } from '../db/repositories/inbound-message.repository.js';
import { MessageRepository } from '../db/repositories/message.repository.js';
import type { Message } from '../db/schema.js';
import { afterCommit, transaction, type Executor } from '../db/transaction.js';
import { recordEvent } from '../events/record-event.js';
import { isWindowOpen } from '../contacts/conversation-window.js';
import { presentMessage } from '../resources/message.resource.js';
import { AppError, NotFoundError } from '../shared/errors.js';
import { isUuid } from '../shared/ids.js';
import type { Principal } from '../auth/auth.service.js';
import { ReactionRepository } from './reaction.repository.js';
import { userReactor } from './reactions.js';

export class ReactionService {
  constructor(
    private readonly db: Executor,
    private readonly wakeSender: () => void,
  ) {}

  async react(principal: Principal, messageId: string, emoji: string): Promise<Message> {
    if (!isUuid(messageId)) throw new NotFoundError('message_not_found');
    return transaction(this.db, async (trx) => {
      const target = await new MessageRepository(trx).findById(messageId);
      if (!target) throw new NotFoundError('message_not_found');
      const contact = await new ContactRepository(trx).findByIdOrThrow(target.contact_id);
      if (contact.opted_out_at) throw new AppError('opted_out');
      if (!isWindowOpen(contact)) throw new AppError('window_closed');
      if (!target.external_id) throw new AppError('reaction_target_not_sent');
      const reacted = await new InboundMessageRepository(trx).react(target.external_id, userReactor(principal.userId), emoji === '' ? null : emoji, new Date());
      await new ReactionRepository(trx).enqueue(target.id, principal.userId, emoji);
      const current = reacted ?? target;
      if (reacted) await recordEvent(trx, 'message.updated', { ...presentMessage(reacted) });
      afterCommit(trx, this.wakeSender);
      return current;
    });
  }
}
