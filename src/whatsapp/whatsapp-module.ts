/**
 * The WhatsApp channel assembled from configuration: the Cloud API client when an access token is
 * set, else the sandbox; the sender, the webhook ingest and processor, read receipts, and the
 * housekeeping that keeps the inbox, idempotency keys and event log bounded. `workers` start and
 * stop with the process; the channel closes only after the sender has finished its sends.
 */
import { admitWithinDailyLimit } from '../campaigns/daily-limit.js';
import type { Config } from '../config/env.js';
import type { Worker } from '../context.js';
import type { DatabaseHandle } from '../db/connection.js';
import { IdempotencyKeyRepository } from '../db/repositories/idempotency-key.repository.js';
import { SenderStateRepository, type SenderPause } from '../db/repositories/sender-state.repository.js';
import { WebhookEventRepository } from '../db/repositories/webhook-event.repository.js';
import { pruneEvents } from '../events/event-retention.js';
import { InboundMessageService } from '../services/inbound-message.service.js';
import { MessageStatusService } from '../services/message-status.service.js';
import { sha256Hex } from '../shared/crypto.js';
import type { Logger } from '../shared/logger.js';
import { PeriodicTask } from '../shared/periodic-task.js';
import { ReactionSender } from '../messages/reaction-sender.js';
import { withMetaMediaIds, type HeaderMediaStore } from '../templates/header-media.js';
import type { TemplateCatalogue } from '../templates/template-catalogue.js';
import type { ChannelKind, WhatsAppChannel } from './channel.js';
import { CloudApiClient } from './cloud-api-client.js';
import { Pacer } from './pacer.js';
import { ReadReceipts } from './read-receipts.js';
import { SandboxChannel } from './sandbox-channel.js';
import { Sender, senderCapacity } from './sender.js';
import { WebhookIngest } from './webhook-ingest.js';
import { WebhookProcessor } from './webhook-processor.js';

export interface WhatsApp {
  readonly kind: ChannelKind;
  readonly sender: Sender;
  readonly processor: WebhookProcessor;
  readonly ingest: WebhookIngest;
  readonly receipts: ReadReceipts;
  /** Sends the reactions agents give. */
  readonly reactions: ReactionSender;
  /** Set in sandbox mode only. */
  readonly sandbox: SandboxChannel | undefined;
  readonly workers: readonly Worker[];
  /** Why sending is paused, if it is (shared by every process). */
  senderPause(): Promise<SenderPause | undefined>;
  /** Lifts a pause; returns whether one was lifted. */
  resumeSender(): Promise<boolean>;
}

const inboxRetentionDays = 7;
const housekeepingEveryMs = 10 * 60_000;

/** What the channel takes from the template catalogue. */
export interface WhatsAppTemplates {
  readonly templates: TemplateCatalogue;
  readonly headerMedia: HeaderMediaStore;
}

export function createWhatsApp(config: Config, logger: Logger, database: DatabaseHandle, templating: WhatsAppTemplates): WhatsApp {
  const { db } = database;
  const cloud = config.whatsapp;
  const tokenFingerprint = cloud ? sha256Hex(cloud.accessToken).slice(0, 16) : null;
  const sandbox = cloud ? undefined : new SandboxChannel(logger, config.sandboxStatusStepMs);
  const channel: WhatsAppChannel =
    sandbox ??
    new CloudApiClient({
      apiUrl: config.whatsappApiUrl,
      phoneNumberId: cloud?.phoneNumberId ?? '',
      accessToken: cloud?.accessToken ?? '',
      timeoutMs: config.whatsappRequestTimeoutMs,
      maxSockets: senderCapacity(config.whatsappRateLimit).maxInFlight + 8,
    });
  if (sandbox) logger.info('WhatsApp sandbox channel is on: no WHATSAPP_ACCESS_TOKEN is set, so nothing is sent to WhatsApp');

  const statuses = new MessageStatusService(logger, tokenFingerprint);
  // The ingest wakes the processor, which yields to the ingest: each refers to the other when called.
  const ingest: WebhookIngest = new WebhookIngest(db, () => processor.wake());
  const processor = new WebhookProcessor(db, logger, new InboundMessageService(config), statuses, {
    phoneNumberId: cloud?.phoneNumberId,
    ...(database.engine === 'embedded' ? { yieldWhile: () => ingest.isBusy(20) } : {}),
    // One at a time, in arrival order: Meta's events for one message are mostly sent in order, and
    // processing two at once could apply a `failed` before the `delivered` that came first.
    concurrency: 1,
    pollMs: 1_000,
    templateStatus: (trx, update) => templating.templates.applyStatusUpdate(trx, update),
  });
  sandbox?.connect(ingest);
  const sender = new Sender(db, channel, statuses, logger, {
    ratePerSecond: config.whatsappRateLimit,
    unknownOutcomeGraceSeconds: config.unknownOutcomeGraceSeconds,
    pollMs: 250,
    tokenFingerprint,
    admit: async (claimed) => (await admitWithinDailyLimit(db, claimed, config.dailyLimit)).admitted,
    prepareRequest: (request) => withMetaMediaIds(request, templating.headerMedia),
  });
  const receiptPacer = new Pacer(db, config.whatsappRateLimit);
  const receipts = new ReadReceipts(channel, receiptPacer, logger);
  const reactions = new ReactionSender(db, channel, receiptPacer, logger, { pollMs: 1_000, unknownOutcomeGraceSeconds: config.unknownOutcomeGraceSeconds });
  const housekeeping = new PeriodicTask('whatsapp-housekeeping', housekeepingEveryMs, async () => {
    await new WebhookEventRepository(db).prune(inboxRetentionDays);
    await new IdempotencyKeyRepository(db).prune();
    await pruneEvents(db);
  }, logger);
  const channelCloser: Worker = {
    name: 'whatsapp-channel',
    start: () => undefined,
    async stop() {
      await sender.stop();
      await reactions.stop();
      await receipts.settle();
      await channel.close();
    },
  };
  const state = new SenderStateRepository(db);
  return {
    kind: channel.kind,
    sender,
    processor,
    ingest,
    receipts,
    reactions,
    sandbox,
    workers: [sender, reactions, processor, housekeeping, channelCloser],
    senderPause: () => state.current(),
    resumeSender: () => state.resume(),
  };
}
