/** Resources as FlowChat's public API returns them (see shared/CONTRACT.md). */

export type Role = 'admin' | 'agent';

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly created_at?: string;
}

/** A colleague a conversation can be assigned to (`GET /api/v1/agents`). */
export interface TeamMember {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

export interface Contact {
  readonly id: string;
  /** Null only for a WhatsApp user known by username alone. */
  readonly phone: string | null;
  readonly username?: string | null;
  /** The conversation's channel: the number the contact last wrote to. */
  readonly channel_id?: string | null;
  readonly name: string | null;
  readonly email: string | null;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly opted_out: boolean;
  readonly last_inbound_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly message_count?: number;
  readonly window_open?: boolean;
  readonly window_expires_at?: string | null;
  /** The conversation's state travels on the contact, so `contact.updated` carries its changes. */
  readonly conversation_status?: ConversationStatus;
  readonly assignee_id?: string | null;
  readonly unread_count?: number;
  readonly last_message_at?: string | null;
}

export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'canceled' | 'received';

export interface TemplateRef {
  readonly name: string;
  readonly language: string;
  readonly components?: readonly TemplateComponent[];
}

export interface TemplateComponent {
  readonly type: string;
  readonly sub_type?: string;
  readonly index?: string;
  readonly parameters?: readonly Readonly<Record<string, unknown>>[];
}

export interface Message {
  readonly id: string;
  readonly contact_id: string;
  /** `internal`: a private note, shown to agents and never sent. */
  readonly direction: 'inbound' | 'outbound' | 'internal';
  readonly type: string;
  readonly content: string | null;
  readonly template?: TemplateRef | null;
  readonly status: MessageStatus;
  readonly external_id: string | null;
  readonly error?: { readonly code: string | number; readonly message: string } | null;
  readonly campaign_id?: string | null;
  readonly from_user_id?: string | null;
  readonly media?: MediaRef;
  readonly created_at: string;
  readonly updated_at: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** The message of the thread this one quotes. */
  readonly reply_to?: string;
  readonly reactions?: readonly Reaction[];
  readonly interactive?: InteractiveBody;
}

export interface Reaction {
  readonly emoji: string;
  readonly from: 'contact' | 'user';
  readonly user_id?: string;
}

export type InteractiveBody =
  | { readonly type: 'button'; readonly body: string; readonly header?: string; readonly footer?: string; readonly buttons: readonly { readonly id: string; readonly title: string }[] }
  | {
      readonly type: 'list';
      readonly body: string;
      readonly header?: string;
      readonly footer?: string;
      readonly button: string;
      readonly sections: readonly { readonly title?: string; readonly rows: readonly { readonly id: string; readonly title: string; readonly description?: string }[] }[];
    };

export interface TemplateParameter {
  readonly component: 'header' | 'body' | 'button';
  readonly index?: number;
  readonly name: string;
  readonly format?: 'image' | 'video' | 'document';
}

/** A template of the catalogue (Meta's components as they are). */
export interface CatalogueTemplate {
  readonly id: string;
  readonly name: string;
  readonly language: string;
  readonly category: string | null;
  readonly status: string;
  readonly components: readonly Readonly<Record<string, unknown>>[];
  readonly parameters: readonly TemplateParameter[];
  readonly rejected_reason?: string;
  readonly updated_at: string;
}

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

/** A media file: `POST /api/v1/media`'s answer and `media` on messages. */
export interface MediaRef {
  readonly id: string;
  readonly url: string;
  readonly kind: MediaKind;
  readonly mime_type: string;
  readonly size: number | null;
  readonly sha256: string | null;
  readonly filename?: string;
  readonly voice?: boolean;
  readonly status: 'ready' | 'downloading' | 'failed';
}

export type ConversationStatus = 'open' | 'closed';

export interface Conversation {
  readonly contact: Contact;
  readonly last_message: Message | null;
  readonly unread_count: number;
  readonly status: ConversationStatus;
  readonly assignee_id: string | null;
  /** The channel (WhatsApp number) the contact last wrote to. */
  readonly channel_id?: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next_cursor: string | null;
}

export interface QuickReply {
  readonly id: string;
  readonly shortcut: string;
  readonly text: string;
}

export interface Audience {
  readonly tags?: readonly string[];
  readonly match?: 'all' | 'any';
  readonly metadata?: Readonly<
    Record<string, string | number | boolean | readonly (string | number | boolean)[] | { readonly exists: boolean }>
  >;
  readonly last_inbound_within_days?: number;
}

export interface Segment {
  readonly id: string;
  readonly name: string;
  readonly filter: Audience;
}

export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'canceled';

export interface CampaignCounts {
  readonly pending: number;
  readonly sent: number;
  readonly delivered: number;
  readonly read: number;
  readonly failed: number;
  readonly canceled: number;
}

export interface Campaign {
  readonly id: string;
  readonly name: string;
  readonly status: CampaignStatus;
  readonly total: number;
  /** Audience members left out for a template variable they lack. */
  readonly skipped?: number;
  readonly counts?: CampaignCounts;
  readonly created_at?: string;
  /** `template_paused` when WhatsApp paused or disabled the campaign's template. */
  readonly paused_reason?: string | null;
}

export interface Recipient {
  readonly contact_id: string;
  readonly phone: string | null;
  readonly name: string | null;
  readonly status: MessageStatus | 'skipped';
  /** Why a pending message waits (`campaign_paused`, `daily_limit`, …) or why a contact was skipped. */
  readonly reason?: string | null;
  readonly detail?: string | null;
  readonly error?: { readonly code: string | number; readonly message: string } | null;
}

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly created_at: string;
  readonly last_used_at?: string | null;
  /** Present only in the answer to the create call. */
  readonly key?: string;
}

export interface DashboardStats {
  readonly messages_per_day: readonly { readonly day: string; readonly inbound: number; readonly outbound: number }[];
  readonly median_first_response_seconds: number | null;
  readonly open_conversations: number;
}

export interface Settings {
  readonly channel: 'sandbox' | 'cloud_api';
  /** Sending pauses itself when Meta rejects the access token (error 190). */
  readonly sender?: {
    readonly state: 'running' | 'paused';
    readonly code: string | null;
    readonly reason: string | null;
  };
}

export interface ImportResult {
  readonly created: number;
  readonly updated: number;
  readonly errors: readonly { readonly line: number; readonly message: string }[];
}

/** A WhatsApp number as the inbox shows it (`GET /channels/mine`). */
export interface ChannelSummary {
  readonly id: string;
  readonly name: string;
  readonly type: 'cloud_api' | 'sandbox';
  readonly display_phone_number: string | null;
}

/** A WhatsApp number as admins manage it (`/channels`); secrets are never returned. */
export interface Channel extends ChannelSummary {
  readonly phone_number_id: string;
  readonly business_account_id?: string;
  readonly rate_limit: number;
  readonly status: 'active' | 'paused' | 'error';
  readonly source: 'api' | 'env';
  readonly has_access_token: boolean;
  readonly member_ids: readonly string[];
  readonly created_at: string;
}
