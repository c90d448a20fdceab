/**
 * The database as Kysely sees it: one interface per table, one `Database` that names them all.
 * Each migration that adds a table adds its interface here.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A timestamp the database fills in on insert. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
export type Json = ColumnType<JsonValue, string | JsonValue, string | JsonValue>;
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
type JsonObjectColumn = ColumnType<JsonObject, JsonObject | string | undefined, JsonObject | string>;

export type UserRole = 'admin' | 'agent';
export type MessageDirection = 'inbound' | 'outbound' | 'internal';
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'canceled' | 'received';
export type ConversationStatus = 'open' | 'closed';
export type OptOutSource = 'agent' | 'keyword' | 'api' | 'import' | 'whatsapp';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  name: string;
  role: ColumnType<UserRole, UserRole | undefined, UserRole>;
  /** False: automatic assignment skips the user (`PATCH /api/v1/auth/me`). */
  available: ColumnType<boolean, boolean | undefined, boolean>;
  /** When an automation last assigned the user a conversation (round robin takes the longest idle). */
  last_assigned_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ContactsTable {
  id: Generated<string>;
  phone: string | null;
  name: string | null;
  email: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  metadata: JsonObjectColumn;
  wa_user_id: string | null;
  /** WhatsApp's id for the user (digits); may differ from the phone FlowChat sent to. */
  wa_id: string | null;
  username: string | null;
  last_inbound_at: NullableTimestamp;
  last_message_at: NullableTimestamp;
  opted_out_at: NullableTimestamp;
  opted_out_source: OptOutSource | null;
  message_count: Generated<number>;
  unread_count: Generated<number>;
  conversation_status: ColumnType<ConversationStatus, ConversationStatus | undefined, ConversationStatus>;
  assignee_id: string | null;
  /** The conversation's channel: the one the contact last wrote to (null: none yet). */
  channel_id: string | null;
  sort_name: ColumnType<string, never, never>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface MessagesTable {
  id: Generated<string>;
  from_user_id: string | null;
  contact_id: string;
  content: string | null;
  type: string;
  status: ColumnType<MessageStatus, MessageStatus | undefined, MessageStatus>;
  metadata: JsonObjectColumn;
  direction: ColumnType<MessageDirection, MessageDirection | undefined, MessageDirection>;
  external_id: string | null;
  template: ColumnType<JsonObject | null, JsonObject | string | null | undefined, JsonObject | string | null>;
  campaign_id: string | null;
  error_code: string | null;
  error_title: string | null;
  error_message: string | null;
  sent_at: NullableTimestamp;
  delivered_at: NullableTimestamp;
  read_at: NullableTimestamp;
  failed_at: NullableTimestamp;
  /** Set: the sender's claim skips the message (see src/db/repositories/outbox.repository.ts). */
  hold_reason: string | null;
  /** Set: the sender's claim skips the message until then. */
  not_before: NullableTimestamp;
  /** Set while a send is in flight or its outcome is unknown. */
  sending_at: NullableTimestamp;
  send_attempts: Generated<number>;
  /** The last transient send error, while the message waits for a retry. */
  send_error: string | null;
  /** The message's file (src/media), and that file as the API shows it on the message. */
  media_id: string | null;
  media: ColumnType<JsonObject | null, JsonObject | string | null | undefined, JsonObject | string | null>;
  /** The id Meta gave the file for this message's number, set before the message may be sent. */
  wire_media_id: string | null;
  /** The number it came in on or goes out from (default: the environment channel). */
  channel_id: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  /** The message of the same thread this one quotes. */
  reply_to_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The buttons or list an interactive message carried, as sent. */
  interactive: ColumnType<JsonObject | null, JsonObject | string | null | undefined, JsonObject | string | null>;
}

export interface MessageStatusEventsTable {
  id: Generated<number>;
  message_id: string | null;
  external_id: string | null;
  status: string;
  occurred_at: Timestamp;
  error: ColumnType<JsonValue | null, string | JsonValue | null | undefined, string | JsonValue | null>;
  payload: JsonObjectColumn;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  expires_at: Timestamp;
  last_seen_at: CreatedAt;
  created_at: CreatedAt;
}

export interface AppSettingsTable {
  key: string;
  value: string;
}

export interface EventsTable {
  id: Generated<number>;
  type: string;
  data: Json;
  created_at: CreatedAt;
}

export type AuditActorType = 'user' | 'api_key' | 'system';

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_type: AuditActorType;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: JsonObjectColumn;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhooksTable {
  id: string;
  url: string;
  events: string[];
  /** AES-256-GCM ciphertext of the signing secret (src/outbound-webhooks/secret-box.ts). */
  secret_ciphertext: string;
  created_by: string | null;
  consecutive_failures: Generated<number>;
  last_success_at: NullableTimestamp;
  last_failure_at: NullableTimestamp;
  last_error: string | null;
  created_at: CreatedAt;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: string;
  event_id: number;
  event_type: string;
  /** The exact body POSTed, fixed when the event happened so every retry sends the same bytes. */
  payload: string;
  status: ColumnType<WebhookDeliveryStatus, WebhookDeliveryStatus | undefined, WebhookDeliveryStatus>;
  retry_count: Generated<number>;
  retry_started_at: CreatedAt;
  next_attempt_at: CreatedAt;
  claim_token: string | null;
  finished_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface WebhookDeliveryAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  at: CreatedAt;
  response_status: number | null;
  error: string | null;
  duration_ms: number;
}

export type WebhookEventSource = 'cloud_api' | 'sandbox';

/** Inbound WhatsApp webhooks, stored raw before they are acknowledged. */
export interface WhatsAppWebhookEventsTable {
  id: Generated<number>;
  source: ColumnType<WebhookEventSource, WebhookEventSource | undefined, WebhookEventSource>;
  body: string;
  received_at: CreatedAt;
  processed_at: NullableTimestamp;
  attempts: Generated<number>;
  next_attempt_at: CreatedAt;
  last_error: string | null;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  message_ids: string[] | null;
  created_at: CreatedAt;
}

/** One row per channel: its next free send slot, in microseconds since the epoch, shared by every process. */
export interface WhatsAppPacerTable {
  channel_id: string;
  next_slot_us: number;
}

/** One row per channel: whether its sender is paused (token expired, account blocked) and why. */
export interface WhatsAppSenderStateTable {
  channel_id: string;
  paused_at: NullableTimestamp;
  pause_code: string | null;
  pause_reason: string | null;
  token_fingerprint: string | null;
}

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  /** The key's visible start (`fc_` and 8 characters); the key itself is stored only as `key_hash`. */
  prefix: string;
  key_hash: string;
  created_by: string;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  /** Lowercased, as emails are matched without regard to case. */
  email: string;
  ip: string;
  at: CreatedAt;
}

export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'canceled';

/** A saved audience: `filter` is an `Audience` (src/campaigns/audience.ts). */
export interface SegmentsTable {
  id: Generated<string>;
  name: string;
  filter: JsonObjectColumn;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface CampaignsTable {
  id: Generated<string>;
  name: string;
  status: ColumnType<CampaignStatus, CampaignStatus | undefined, CampaignStatus>;
  template: JsonObjectColumn;
  audience: JsonObjectColumn;
  segment_id: string | null;
  total: Generated<number>;
  skipped: Generated<number>;
  scheduled_at: NullableTimestamp;
  started_at: NullableTimestamp;
  paused_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  created_by: string | null;
  /** False until the campaign worker has added its messages to the contacts' counters. */
  counters_settled: Generated<boolean>;
  counters_cursor: string | null;
  /** The counts last announced by a `campaign.updated` event, and when. */
  announced_counts: ColumnType<JsonObject | null, JsonObject | string | null | undefined, JsonObject | string | null>;
  announced_at: NullableTimestamp;
  channel_id: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  /** Why the campaign paused by itself (`template_paused`); null when paused by a person. */
  paused_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Contacts of a campaign's audience that got no message, and why. */
export interface CampaignSkippedRecipientsTable {
  campaign_id: string;
  contact_id: string;
  reason: string;
  detail: string | null;
  created_at: CreatedAt;
}

/** When FlowChat last reached each contact outside its 24-hour window (FLOWCHAT_DAILY_LIMIT). */
export interface MessagingLimitReachTable {
  contact_id: string;
  reached_at: Timestamp;
}

export interface QuickRepliesTable {
  id: Generated<string>;
  shortcut: string;
  text: string;
  created_by: string | null;
  created_at: CreatedAt;
}

/** Meta's message templates of one WABA (src/templates/). */
export interface MessageTemplatesTable {
  id: Generated<string>;
  business_account_id: string;
  meta_id: string | null;
  name: string;
  language: string;
  category: string | null;
  status: string;
  components: ColumnType<JsonValue[], string | undefined, string>;
  parameters: ColumnType<JsonValue[], string | undefined, string>;
  rejected_reason: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type AutomationTrigger = 'message.received' | 'conversation.opened' | 'button.clicked';

/** A rule that answers, tags and assigns by itself (src/automations/). */
export interface AutomationsTable {
  id: Generated<string>;
  name: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  trigger: AutomationTrigger;
  conditions: JsonObjectColumn;
  actions: ColumnType<JsonValue[], string | undefined, string>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';
export type MediaStatus = 'ready' | 'downloading' | 'failed';

export interface MediaTable {
  id: Generated<string>;
  kind: MediaKind;
  mime_type: string;
  size: number | null;
  sha256: string | null;
  filename: string | null;
  voice: Generated<boolean>;
  status: ColumnType<MediaStatus, MediaStatus | undefined, MediaStatus>;
  storage_key: string | null;
  uploaded_by: string | null;
  meta_media_id: string | null;
  phone_number_id: string | null;
  expected_sha256: string | null;
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  leased_until: NullableTimestamp;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export type OutboundReactionStatus = 'pending' | 'sent' | 'failed' | 'unknown';

/** Reactions agents send, queued for the reaction sender (src/messages/reaction-sender.ts). */
export interface OutboundReactionsTable {
  id: Generated<string>;
  message_id: string;
  user_id: string | null;
  emoji: string;
  status: ColumnType<OutboundReactionStatus, OutboundReactionStatus | undefined, OutboundReactionStatus>;
  sending_at: NullableTimestamp;
  not_before: NullableTimestamp;
  attempts: Generated<number>;
  external_id: string | null;
  error: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/** When a rule with `outside_business_hours: true` last answered a contact. */
export interface AutomationAwayRepliesTable {
  automation_id: string;
  contact_id: string;
  replied_at: Timestamp;
}

/** One row at most: the team's opening hours (absent: the defaults of src/automations/business-hours.ts). */
export interface BusinessHoursTable {
  id: Generated<number>;
  timezone: string;
  week: JsonObjectColumn;
  closed_dates: ColumnType<string[], string[], string[]>;
  updated_at: CreatedAt;
}

export interface MediaUploadsTable {
  media_id: string;
  phone_number_id: string;
  meta_media_id: string;
  expires_at: Timestamp;
}

export interface MediaDeletionsTable {
  storage_key: string;
  created_at: CreatedAt;
}

export type ChannelType = 'cloud_api' | 'sandbox';
export type ChannelSource = 'api' | 'env';

/** A WhatsApp number; secrets are AES-256-GCM ciphertexts (src/channels/channel-secrets.ts). */
export interface ChannelsTable {
  id: Generated<string>;
  name: string;
  type: ChannelType;
  source: ChannelSource;
  phone_number_id: string;
  display_phone_number: string | null;
  business_account_id: string | null;
  /** Null: WHATSAPP_RATE_LIMIT. */
  rate_limit: number | null;
  access_token_ciphertext: string | null;
  app_secret_ciphertext: string | null;
  verify_token_ciphertext: string | null;
  deleted_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ChannelMembersTable {
  channel_id: string;
  user_id: string;
}

export interface Database {
  users: UsersTable;
  contacts: ContactsTable;
  messages: MessagesTable;
  message_status_events: MessageStatusEventsTable;
  sessions: SessionsTable;
  app_settings: AppSettingsTable;
  events: EventsTable;
  audit_log: AuditLogTable;
  quick_replies: QuickRepliesTable;
  api_keys: ApiKeysTable;
  login_attempts: LoginAttemptsTable;
  whatsapp_webhook_events: WhatsAppWebhookEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  whatsapp_pacer: WhatsAppPacerTable;
  whatsapp_sender_state: WhatsAppSenderStateTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
  segments: SegmentsTable;
  campaigns: CampaignsTable;
  campaign_skipped_recipients: CampaignSkippedRecipientsTable;
  messaging_limit_reach: MessagingLimitReachTable;
  message_templates: MessageTemplatesTable;
  outbound_reactions: OutboundReactionsTable;
  automations: AutomationsTable;
  automation_away_replies: AutomationAwayRepliesTable;
  business_hours: BusinessHoursTable;
  media: MediaTable;
  media_uploads: MediaUploadsTable;
  media_deletions: MediaDeletionsTable;
  channels: ChannelsTable;
  channel_members: ChannelMembersTable;
}

export type User = Selectable<UsersTable>;
export type Contact = Selectable<ContactsTable>;
export type ContactUpdate = Updateable<ContactsTable>;
export type Message = Selectable<MessagesTable>;
export type NewMessage = Insertable<MessagesTable>;
export type Session = Selectable<SessionsTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type Campaign = Selectable<CampaignsTable>;
export type Segment = Selectable<SegmentsTable>;
export type MessageTemplate = Selectable<MessageTemplatesTable>;
export type OutboundReaction = Selectable<OutboundReactionsTable>;
export type Media = Selectable<MediaTable>;
export type Channel = Selectable<ChannelsTable>;
