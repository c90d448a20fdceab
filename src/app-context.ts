/**
 * The running application as routes and the server see it: the foundation, every service and the
 * background workers, each built once by `compose` (src/compose.ts). Types only.
 */
import type { Foundation } from './foundation.js';
import type { Worker } from './worker.js';
import type { ApiKeyService } from './auth/api-key.service.js';
import type { AuditService } from './audit/audit.service.js';
import type { AuthService } from './auth/auth.service.js';
import type { AutomationService } from './automations/automation.service.js';
import type { CampaignService } from './campaigns/campaign.service.js';
import type { ChannelAccess } from './channels/channel-access.js';
import type { ChannelDirectory } from './channels/channel-directory.js';
import type { ChannelService } from './channels/channel.service.js';
import type { ContactImportService } from './contacts/contact-import.service.js';
import type { ContactService } from './contacts/contact.service.js';
import type { ConversationService } from './inbox/conversation.service.js';
import type { EventHub } from './events/event-hub.js';
import type { LoginService } from './auth/login.service.js';
import type { MediaModule } from './media/media-module.js';
import type { MessageService } from './messages/message.service.js';
import type { ReactionService } from './messages/reaction.service.js';
import type { MessageSearchRepository } from './inbox/message-search.repository.js';
import type { NoteService } from './inbox/note.service.js';
import type { QuickReplyRepository } from './db/repositories/quick-reply.repository.js';
import type { StatsRepository } from './db/repositories/stats.repository.js';
import type { SegmentService } from './campaigns/segment.service.js';
import type { TemplateCatalogue } from './templates/template-catalogue.js';
import type { UserService } from './auth/user.service.js';
import type { WebhookService } from './outbound-webhooks/webhook.service.js';
import type { WhatsApp } from './whatsapp/whatsapp-module.js';

/** The services routes call; none is built anywhere else. */
export interface Services {
  readonly apiKeys: ApiKeyService;
  readonly audit: AuditService;
  readonly automations: AutomationService;
  readonly campaigns: CampaignService;
  readonly channels: ChannelService;
  readonly contactImports: ContactImportService;
  readonly contacts: ContactService;
  readonly conversations: ConversationService;
  readonly logins: LoginService;
  /** Full-text search of message text and captions. */
  readonly messageSearch: MessageSearchRepository;
  /** Agents' private notes in a thread. */
  readonly notes: NoteService;
  /** The team's canned answers. */
  readonly quickReplies: QuickReplyRepository;
  readonly reactions: ReactionService;
  readonly segments: SegmentService;
  /** The dashboard's figures. */
  readonly stats: StatsRepository;
  readonly users: UserService;
  /** Integrators' outbound webhook endpoints. */
  readonly webhooks: WebhookService;
}

export interface AppContext extends Foundation {
  readonly workers: readonly Worker[];
  readonly auth: AuthService;
  /** WhatsApp: per-number senders, Meta's inbound webhook processing, the sandbox. */
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
  readonly services: Services;
}
