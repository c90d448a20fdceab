/**
 * What every part of a running FlowChat shares: configuration, logger, database, and the background
 * workers that start and stop with the process. Built once by `createContext`.
 */
import type { Kysely } from 'kysely';
import type { Config } from './config/env.js';
import type { DatabaseHandle } from './db/connection.js';
import type { Database } from './db/schema.js';
import type { Logger } from './shared/logger.js';
import { ApiKeyService } from './services/api-key.service.js';
import { AuthService } from './services/auth.service.js';
import { CursorCodec } from './db/cursor.js';
import { EventHub } from './events/event-hub.js';
import { MessageService } from './services/message.service.js';
import { createWhatsApp, type WhatsApp } from './whatsapp/whatsapp-module.js';
import { CampaignWorker } from './campaigns/campaign-worker.js';
import { onEventRecorded } from './events/record-event.js';
import { enqueueWebhookDeliveries } from './outbound-webhooks/outbox-hook.js';
import { WebhookDispatcher } from './outbound-webhooks/webhook-dispatcher.js';
import type { TemplateCatalogue } from './templates/template-catalogue.js';
import { createTemplates } from './templates/templates-module.js';
import { AutomationEngine } from './automations/automation-engine.js';
import { createMedia, type MediaModule } from './media/media-module.js';
import { ChannelDirectory } from './channels/channel-directory.js';
import { ChannelChoice } from './channels/channel-choice.js';
import { ChannelAccess } from './channels/channel-access.js';

/** A background loop (sender, dispatcher, …): started after migrations, stopped before the pool closes. */
export interface Worker {
  readonly name: string;
  start(): void;
  /** Finishes in-flight work and resolves; new work is no longer taken. */
  stop(): Promise<void>;
}

export interface AppContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: DatabaseHandle;
  readonly db: Kysely<Database>;
  readonly workers: Worker[];
  readonly auth: AuthService;
  readonly cursors: CursorCodec;
  /** The WhatsApp channel: sender, webhooks, sandbox. */
  readonly whatsapp: WhatsApp;
  /** Committed events of every process, for live streams. */
  readonly events: EventHub;
  readonly messages: MessageService;
  /** Meta's message templates: the catalogue sends are checked against. */
  readonly templates: TemplateCatalogue;
  /** Media files: upload, serving, inbound downloads and outbound uploads to Meta. */
  readonly media: MediaModule;
  /** Every WhatsApp number, with its credentials (src/channels/channel-directory.ts). */
  readonly channels: ChannelDirectory;
  /** Which channels an agent may see. */
  readonly channelAccess: ChannelAccess;
}

/** Builds the context on a migrated database. */
export async function createContext(config: Config, logger: Logger, database: DatabaseHandle): Promise<AppContext> {
  const secret = await database.db.selectFrom('app_settings').select('value').where('key', '=', 'cursor_secret').executeTakeFirstOrThrow();
  const ctx = { config, logger, database, db: database.db, workers: [] as Worker[], cursors: new CursorCodec(secret.value) } as {
    -readonly [K in keyof AppContext]: AppContext[K];
  };
  ctx.auth = new AuthService(ctx);
  ctx.channels = await ChannelDirectory.open(database.db, config, logger);
  ctx.channelAccess = new ChannelAccess(database.db);
  // The sender is created below; the media worker wakes it only once work runs.
  ctx.media = createMedia(config, logger, database.db, ctx.channels, () => ctx.whatsapp.sender.wake());
  // Template header media by FlowChat media id come from the media module.
  const headerMedia = ctx.media.headerMedia;
  const templates = createTemplates(config, logger, database.db, headerMedia);
  ctx.templates = templates.catalogue;
  const whatsapp = createWhatsApp(config, logger, database, ctx.channels, { templates: templates.catalogue, headerMedia });
  ctx.whatsapp = whatsapp;
  ctx.workers.push(...whatsapp.workers, ...templates.workers);
  ctx.events = new EventHub(database, logger);
  ctx.messages = new MessageService({
    db: database.db,
    wakeSender: () => whatsapp.sender.wake(),
    sendReadReceipt: (wamid, channelId) => whatsapp.sender.readReceipt(channelId, wamid),
    channels: new ChannelChoice(ctx.channels),
    templates: templates.catalogue,
  });
  // Automations run in the transaction that stores each inbound message.
  const automations = new AutomationEngine(ctx.messages, logger);
  whatsapp.processor.onReceived((trx, received) => automations.run(trx, received));
  const apiKeys = new ApiKeyService(ctx.db);
  ctx.auth.addResolver((token) => apiKeys.resolve(token));
  // Every event's webhook deliveries are written in the event's own transaction.
  onEventRecorded(enqueueWebhookDeliveries);
  ctx.workers.push(new WebhookDispatcher(ctx));
  ctx.workers.push(new CampaignWorker(ctx));
  ctx.workers.push(...ctx.media.workers);
  return ctx;
}
