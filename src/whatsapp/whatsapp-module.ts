/**
 * WhatsApp assembled from configuration and the channels: a sender per channel (the Cloud API
 * client, or the sandbox), the webhook ingest and processor routing each change to its channel,
 * read receipts, and the housekeeping that keeps the inbox, idempotency keys and event log
 * bounded. `workers` start and stop with the process; the senders close only after their sends.
 */
import { admitWithinDailyLimit } from '../campaigns/daily-limit.js';
import type { ChannelDirectory } from '../channels/channel-directory.js';
import { ChannelSenders } from '../channels/channel-senders.js';
import { ENV_CHANNEL_ID } from '../channels/environment-channel.js';
import type { Config } from '../config/env.js';
import type { Worker } from '../worker.js';
import type { DatabaseHandle } from '../db/connection.js';
import { IdempotencyKeyRepository } from '../db/repositories/idempotency-key.repository.js';
import { SenderStateRepository, type SenderPause } from '../db/repositories/sender-state.repository.js';
import { WebhookEventRepository } from '../db/repositories/webhook-event.repository.js';
import { pruneEvents } from '../events/event-retention.js';
import { InboundMessageService } from './inbound/inbound-message.service.js';
import { MessageStatusService } from './inbound/message-status.service.js';
import type { Logger } from '../shared/logger.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import { ReactionSender } from '../messages/reaction-sender.js';
import { withMetaMediaIds, type HeaderMediaStore } from '../templates/header-media.js';
import type { TemplateCatalogue } from '../templates/template-catalogue.js';
import type { TransportKind } from './transport.js';
import type { SandboxTransport } from './outbound/sandbox-transport.js';
import { WebhookIngest } from './inbound/webhook-ingest.js';
import { WebhookProcessor } from './inbound/webhook-processor.js';

export interface WhatsApp {
  /** The environment channel's kind. */
  readonly kind: TransportKind;
  /** Every channel's sender; `wake()` after committing pending messages. */
  readonly sender: ChannelSenders;
  readonly processor: WebhookProcessor;
  readonly ingest: WebhookIngest;
  /** Sends the reactions agents give. */
  readonly reactions: ReactionSender;
  /** Set when the environment channel is the sandbox. */
  readonly sandbox: SandboxTransport | undefined;
  readonly workers: readonly Worker[];
  /** Why the environment channel's sending is paused, if it is (shared by every process). */
  senderPause(): Promise<SenderPause | undefined>;
  /** Lifts the environment channel's pause; returns whether one was lifted. */
  resumeSender(): Promise<boolean>;
}

const inboxRetentionDays = 7;
const housekeepingEveryMs = 10 * 60_000;

/** What the senders take from the template catalogue. */
export interface WhatsAppTemplates {
  readonly templates: TemplateCatalogue;
  readonly headerMedia: HeaderMediaStore;
}

export function createWhatsApp(config: Config, logger: Logger, database: DatabaseHandle, channels: ChannelDirectory, templating: WhatsAppTemplates): WhatsApp {
  const { db } = database;
  const statuses = new MessageStatusService(logger, (channelId) => channels.tokenFingerprint(channelId));
  // The ingest wakes the processor, which yields to the ingest: each refers to the other when called.
  const ingest: WebhookIngest = new WebhookIngest(db, () => processor.wake());
  const processor = new WebhookProcessor(db, logger, new InboundMessageService(config), statuses, {
    channels,
    ...(database.engine === 'embedded' ? { yieldWhile: () => ingest.isBusy(20) } : {}),
    // One at a time, in arrival order: Meta's events for one message are mostly sent in order, and
    // processing two at once could apply a `failed` before the `delivered` that came first.
    concurrency: 1,
    pollMs: 1_000,
    templateStatus: (trx, update) => templating.templates.applyStatusUpdate(trx, update),
  });
  const sender = new ChannelSenders(db, config, logger, channels, {
    ingest,
    statuses,
    admit: async (claimed) => (await admitWithinDailyLimit(db, claimed, config.dailyLimit)).admitted,
    prepareRequest: (request, channelId) => withMetaMediaIds(request, templating.headerMedia, channelId),
  });
  const reactions = new ReactionSender(db, sender, logger, { pollMs: 1_000, unknownOutcomeGraceSeconds: config.unknownOutcomeGraceSeconds });
  const sandbox = sender.environmentSandbox;
  if (sandbox) logger.info('WhatsApp sandbox channel is on: no WHATSAPP_ACCESS_TOKEN is set, so nothing is sent to WhatsApp');
  const housekeeping = new PeriodicTask('whatsapp-housekeeping', housekeepingEveryMs, async () => {
    await new WebhookEventRepository(db).prune(inboxRetentionDays);
    await new IdempotencyKeyRepository(db).prune();
    await pruneEvents(db);
  }, logger);
  const state = new SenderStateRepository(db, ENV_CHANNEL_ID);
  return {
    kind: sandbox ? 'sandbox' : 'cloud_api',
    sender,
    processor,
    ingest,
    reactions,
    sandbox,
    // Reactions stop before the senders, whose transports they use.
    workers: [reactions, sender, processor, housekeeping],
    senderPause: () => state.current(),
    resumeSender: () => state.resume(),
  };
}
