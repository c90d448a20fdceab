/**
 * The composition root: builds every service and background worker of a running FlowChat exactly
 * once, on a migrated database, and hands them out as the application context (src/app-context.ts).
 * Routes, the server and tests take what they need from there and construct no services of their own.
 */
import type { Config } from './config/env.js';
import type { DatabaseHandle } from './db/connection.js';
import type { Logger } from './shared/logger.js';
import type { AppContext, Services } from './app-context.js';
import type { Foundation } from './foundation.js';
import type { Worker } from './worker.js';
import { ApiKeyService } from './auth/api-key.service.js';
import { AuditService } from './audit/audit.service.js';
import { AuthService } from './auth/auth.service.js';
import { AutomationService } from './automations/automation.service.js';
import { CampaignService } from './campaigns/campaign.service.js';
import { ContactImportService } from './contacts/contact-import.service.js';
import { ContactService } from './contacts/contact.service.js';
import { ConversationService } from './inbox/conversation.service.js';
import { MessageSearchRepository } from './inbox/message-search.repository.js';
import { NoteService } from './inbox/note.service.js';
import { QuickReplyRepository } from './db/repositories/quick-reply.repository.js';
import { StatsRepository } from './db/repositories/stats.repository.js';
import { CursorCodec } from './db/cursor.js';
import { EventHub } from './events/event-hub.js';
import { LoginService } from './auth/login.service.js';
import { MessageService } from './messages/message.service.js';
import { ReactionService } from './messages/reaction.service.js';
import { SegmentService } from './campaigns/segment.service.js';
import { UserService } from './auth/user.service.js';
import { createWhatsApp } from './whatsapp/whatsapp-module.js';
import { CampaignWorker } from './campaigns/campaign-worker.js';
import { eventRecording } from './events/record-event.js';
import { enqueueWebhookDeliveries } from './outbound-webhooks/outbox-hook.js';
import { WebhookDispatcher } from './outbound-webhooks/webhook-dispatcher.js';
import { WebhookService } from './outbound-webhooks/webhook.service.js';
import { createTemplates } from './templates/templates-module.js';
import { AutomationEngine } from './automations/automation-engine.js';
import { createMedia } from './media/media-module.js';
import { ChannelDirectory } from './channels/channel-directory.js';
import { ChannelChoice } from './channels/channel-choice.js';
import { ChannelAccess } from './channels/channel-access.js';
import { ChannelService } from './channels/channel.service.js';

/** Builds the application on a migrated database; the workers are built, not started. */
export async function compose(config: Config, logger: Logger, database: DatabaseHandle): Promise<AppContext> {
  const db = database.db;
  const secret = await db.selectFrom('app_settings').select('value').where('key', '=', 'cursor_secret').executeTakeFirstOrThrow();
  const foundation: Foundation = { config, logger, database, db, cursors: new CursorCodec(secret.value) };

  const channels = await ChannelDirectory.open(db, config, logger);
  // The sender is created below; the media worker wakes it only once work runs.
  const media = createMedia(config, logger, db, channels, () => whatsapp.sender.wake());
  // Template header media by FlowChat media id come from the media module.
  const headerMedia = media.headerMedia;
  const templates = createTemplates(config, logger, db, channels, headerMedia);
  const whatsapp = createWhatsApp(config, logger, database, channels, { templates: templates.catalogue, headerMedia });
  const wakeSender = (): void => whatsapp.sender.wake();
  const messages = new MessageService({
    db,
    wakeSender,
    sendReadReceipt: (wamid, channelId) => whatsapp.sender.readReceipt(channelId, wamid),
    channels: new ChannelChoice(channels),
    templates: templates.catalogue,
  });
  // Automations run in the transaction that stores each inbound message.
  const automations = new AutomationEngine(messages, logger);
  whatsapp.processor.onReceived((trx, received) => automations.run(trx, received));

  const services: Services = {
    apiKeys: new ApiKeyService(db),
    audit: new AuditService(foundation),
    automations: new AutomationService(db),
    campaigns: new CampaignService({ ...foundation, templates: templates.catalogue, messages, wakeSender }),
    channels: new ChannelService(db, config, channels),
    contactImports: new ContactImportService(db, config.defaultCountry, config.importMaxBytes),
    contacts: new ContactService(db, foundation.cursors, config.defaultCountry),
    conversations: new ConversationService(db, foundation.cursors),
    logins: new LoginService(db, config),
    messageSearch: new MessageSearchRepository(db),
    notes: new NoteService(db),
    quickReplies: new QuickReplyRepository(db),
    reactions: new ReactionService(db, () => whatsapp.reactions.wake()),
    segments: new SegmentService(foundation),
    stats: new StatsRepository(db),
    users: new UserService(db),
    webhooks: new WebhookService(foundation),
  };
  const auth = new AuthService(foundation);
  auth.addResolver((token) => services.apiKeys.resolve(token));
  // Every event's webhook deliveries are written in the event's own transaction.
  eventRecording(db).onRecorded(enqueueWebhookDeliveries);

  const workers: Worker[] = [
    ...whatsapp.workers,
    ...templates.workers,
    new WebhookDispatcher(foundation),
    new CampaignWorker({ ...foundation, wakeSender }),
    ...media.workers,
  ];
  return {
    ...foundation,
    workers,
    auth,
    whatsapp,
    events: new EventHub(database, logger),
    messages,
    templates: templates.catalogue,
    media,
    channels,
    channelAccess: new ChannelAccess(db),
    services,
  };
}
