/**
 * Sends the reactions agents give, from the queue in the database, each taking a pacer slot like
 * any send: claimed and committed first, then sent once. Accepted: `sent`. Refused: `failed`, and
 * the agent's reaction comes off the message again (`message.updated`). No connection: tried again
 * later. No answer: `unknown`, never resent.
 */
import type { Worker } from '../worker.js';
import { transaction, type Executor } from '../db/transaction.js';
import { recordEvent } from '../events/record-event.js';
import { presentMessage } from '../resources/message.resource.js';
import type { Logger } from '../shared/logger.js';
import { Wakeup } from '../shared/wakeup.js';
import type { SendResult, WhatsAppTransport } from '../whatsapp/transport.js';
import type { Pacer } from '../whatsapp/outbound/pacer.js';
import { reactionRequest, WireFormatError } from '../whatsapp/outbound/wire-format.js';
import { ReactionRepository, type ClaimedReaction } from './reaction.repository.js';
import { userReactor } from './reactions.js';

/** Each number's transport and pacer, as this process runs them. */
export interface ReactionTransports {
  transport(channelId: string): WhatsAppTransport | undefined;
  pacer(channelId: string): Pacer | undefined;
}

export interface ReactionSenderOptions {
  readonly pollMs: number;
  readonly unknownOutcomeGraceSeconds: number;
}

const batch = 20;
const maxAttempts = 8;

export class ReactionSender implements Worker {
  readonly name = 'whatsapp-reaction-sender';
  private readonly wakeup = new Wakeup();
  private stopping = true;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly db: Executor,
    private readonly transports: ReactionTransports,
    private readonly logger: Logger,
    private readonly options: ReactionSenderOptions,
  ) {}

  wake(): void {
    this.wakeup.wake();
  }

  start(): void {
    if (!this.stopping) return;
    this.stopping = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeup.wake();
    await this.loop;
  }

  /** Sends every due reaction; returns how many it claimed (for tests and the loop). */
  async drain(): Promise<number> {
    let claimed: ClaimedReaction[] = [];
    await transaction(this.db, async (trx) => {
      claimed = await new ReactionRepository(trx).claim(batch);
    });
    for (const reaction of claimed) await this.send(reaction);
    return claimed.length;
  }

  private async run(): Promise<void> {
    let reapedAt = 0;
    while (!this.stopping) {
      try {
        if (Date.now() - reapedAt > 60_000) {
          reapedAt = Date.now();
          await new ReactionRepository(this.db).reapStale(this.options.unknownOutcomeGraceSeconds);
        }
        if ((await this.drain()) > 0) continue;
      } catch (error) {
        this.logger.error({ err: error }, 'reactions could not be sent');
      }
      await this.wakeup.wait(this.options.pollMs);
    }
  }

  private async send(reaction: ClaimedReaction): Promise<void> {
    const repository = new ReactionRepository(this.db);
    if (!reaction.target_wamid || !reaction.to_phone) {
      await this.failed(reaction, 'the message has no wamid or the contact no phone');
      return;
    }
    const channel = this.transports.transport(reaction.channel_id);
    const pacer = this.transports.pacer(reaction.channel_id);
    if (!channel || !pacer) {
      await this.failed(reaction, 'the message\'s number is no longer served');
      return;
    }
    let result: SendResult;
    try {
      const request = reactionRequest(reaction.to_phone, reaction.target_wamid, reaction.emoji);
      await pacer.acquire();
      result = await channel.send(request);
    } catch (error) {
      if (!(error instanceof WireFormatError)) throw error;
      await this.failed(reaction, error.message);
      return;
    }
    switch (result.kind) {
      case 'accepted':
        await repository.settle(reaction.id, 'sent', { externalId: result.wamid });
        return;
      case 'unknown':
        this.logger.warn({ reactionId: reaction.id, reason: result.reason }, 'reaction outcome unknown; not resending');
        await repository.settle(reaction.id, 'unknown', { error: result.reason });
        return;
      case 'transient':
        if (reaction.attempts >= maxAttempts) await this.failed(reaction, result.reason);
        else await repository.retryLater(reaction.id, new Date(Date.now() + 1_000 * 2 ** reaction.attempts), result.reason);
        return;
      case 'misconfigured':
        await this.failed(reaction, result.reason);
        return;
      case 'rejected':
        await this.failed(reaction, `${result.code}: ${result.details ?? result.message}`);
    }
  }

  /** Marks the reaction failed and takes it off the message, unless the agent has reacted again since. */
  private async failed(reaction: ClaimedReaction, error: string): Promise<void> {
    this.logger.warn({ reactionId: reaction.id, error }, 'a reaction was not sent');
    await transaction(this.db, async (trx) => {
      await new ReactionRepository(trx).settle(reaction.id, 'failed', { error });
      if (!reaction.user_id) return;
      const target = await new ReactionRepository(trx).withdraw(reaction.message_id, userReactor(reaction.user_id), reaction.emoji === '' ? null : reaction.emoji);
      if (target) await recordEvent(trx, 'message.updated', { ...presentMessage(target) });
    });
  }
}
