/**
 * What a send's outcome does to its message: accepted sends go to the recorder; an unknown outcome
 * is noted and never resent; a transient failure or a backoff code retries later; a pair limit
 * defers the contact; other codes fail the message (opting the contact out, pausing a campaign
 * whose template stopped); an account or token problem pauses the channel's sender.
 */
import { OutboxRepository, type ClaimedMessage, type OutboxError } from '../../db/repositories/outbox.repository.js';
import type { Message } from '../../db/schema.js';
import { transaction, type Executor } from '../../db/transaction.js';
import { recordEvent } from '../../events/record-event.js';
import { presentMessage } from '../../resources/message.resource.js';
import { optOutContact } from '../../contacts/opt-out.service.js';
import type { Logger } from '../../shared/logger.js';
import { pauseCampaignForTemplate } from '../../templates/template-campaign-pause.js';
import type { SendResult } from '../transport.js';
import type { AcceptedRecorder } from './accepted-recorder.js';
import { backoffDelayMs, classifyErrorCode, pairLimitDelayMs, transientFailure, type BackoffAction } from './error-classification.js';
import type { Pacer } from './pacer.js';

/** Stops the channel's sending and puts this and every slotted message back (the sender's queue). */
export type PauseSending = (message: ClaimedMessage, code: string | null, reason: string) => Promise<void>;

export class SendOutcomes {
  constructor(
    private readonly db: Executor,
    private readonly logger: Logger,
    private readonly outbox: OutboxRepository,
    private readonly pacer: Pacer,
    private readonly recorder: AcceptedRecorder,
    private readonly pause: PauseSending,
  ) {}

  async settle(message: ClaimedMessage, result: SendResult): Promise<void> {
    switch (result.kind) {
      case 'accepted':
        // A wa_id is stored once per contact; most sends go to contacts that already have one.
        this.recorder.add({ id: message.id, wamid: result.wamid, at: new Date(), contactId: message.contact_id, waId: message.contact_wa_id === null ? result.waId : undefined });
        return;
      case 'unknown':
        this.logger.warn({ messageId: message.id, reason: result.reason }, 'send outcome unknown; waiting for a status webhook, not resending');
        await this.outbox.noteUnknownOutcome(message.id, result.reason);
        return;
      case 'transient':
        await this.retry(message, transientFailure, undefined, result.reason);
        return;
      case 'misconfigured':
        await this.pause(message, null, result.reason);
        return;
      case 'rejected':
        await this.rejected(message, result);
    }
  }

  private async rejected(message: ClaimedMessage, result: Extract<SendResult, { kind: 'rejected' }>): Promise<void> {
    const action = classifyErrorCode(result.code);
    const text = result.details ?? result.message;
    const code = String(result.code);
    switch (action.kind) {
      case 'backoff':
        if (action.slowsSender) await this.pacer.holdOff(1_000).catch(() => undefined);
        await this.retry(message, action, code, `${code}: ${text}`);
        return;
      case 'later': {
        if (message.send_attempts >= action.maxAttempts) {
          await this.fail(message, { code, title: result.message, message: text });
          return;
        }
        const notBefore = new Date(Date.now() + pairLimitDelayMs(message.send_attempts));
        await this.outbox.deferContact(message.contact_id, notBefore);
        await this.outbox.retryLater(message.id, notBefore, `${code}: ${text}`);
        return;
      }
      case 'fail':
        if (!classifiedCodes.has(result.code)) this.logger.warn({ code, fbtraceId: result.fbtraceId, messageId: message.id }, 'unrecognised WhatsApp error code; the message fails');
        await this.fail(message, { code, title: result.message, message: text }, action.optOut);
        if (templateStopCodes.has(result.code) && message.campaign_id) await this.pauseCampaign(message.campaign_id);
        return;
      case 'pause':
        await this.pause(message, code, `${result.message}${result.details ? ` (${result.details})` : ''}`);
    }
  }

  private async retry(message: ClaimedMessage, action: BackoffAction, code: string | undefined, error: string): Promise<void> {
    if (message.send_attempts >= action.maxAttempts) {
      await this.fail(message, { code: code ?? 'send_failed', message: `Gave up after ${message.send_attempts} attempts: ${error}` });
      return;
    }
    const notBefore = new Date(Date.now() + backoffDelayMs(action, message.send_attempts));
    await this.outbox.retryLater(message.id, notBefore, error);
  }

  async fail(message: Message, error: OutboxError, optOut = false): Promise<void> {
    await transaction(this.db, async (trx) => {
      const failed = await new OutboxRepository(trx).fail(message.id, error);
      if (!failed) return;
      await recordEvent(trx, 'message.updated', { ...presentMessage(failed) });
      if (optOut) await optOutContact(trx, failed.contact_id, 'whatsapp', new Date(), `WhatsApp error ${error.code}`);
    });
  }

  /** The campaign's template is paused or disabled: the campaign pauses too, keeping its queued messages. */
  private async pauseCampaign(campaignId: string): Promise<void> {
    try {
      const paused = await transaction(this.db, (trx) => pauseCampaignForTemplate(trx, campaignId));
      if (paused) this.logger.warn({ campaignId }, 'the campaign’s template is paused or disabled; the campaign is paused');
    } catch (error) {
      this.logger.error({ err: error, campaignId }, 'the campaign of a paused template could not be paused');
    }
  }

}

/** The template is paused (132015) or disabled (132016): its campaigns pause. */
const templateStopCodes = new Set([132015, 132016]);

/** Codes the classification names; anything else fails and is logged as unrecognised. */
const classifiedCodes = new Set([
  131026, 131047, 131049, 131050, 130403, 130472, 131021, 100, 131008, 131009, 135000, 131051, 131053,
  132000, 132001, 132005, 132007, 132012, 132015, 132016,
]);
