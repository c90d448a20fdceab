/** A message as the REST API, the event stream and outbound webhooks show it (the contract's shape). */
import type { JsonObject, Message, MessageDirection, MessageStatus } from '../db/schema.js';
import { storedMedia, type MediaResource } from '../media/media-presenter.js';
import { reactionsOf, withoutReactions, type ReactionResource } from '../messages/reactions.js';
import { isoOrNull } from './iso-time.js';

export interface MessageResource {
  id: string;
  contact_id: string;
  direction: MessageDirection;
  type: string;
  content: string | null;
  template?: JsonObject;
  status: MessageStatus;
  external_id: string | null;
  error?: { code: string; message: string; title?: string };
  campaign_id?: string;
  from_user_id?: string;
  channel_id: string;
  metadata: JsonObject;
  media?: MediaResource;
  reply_to?: string;
  reactions: ReactionResource[];
  interactive?: JsonObject;
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
  failed_at: string | null;
  created_at: string;
  updated_at: string;
}

export function presentMessage(message: Message): MessageResource {
  return {
    id: message.id,
    contact_id: message.contact_id,
    direction: message.direction,
    type: message.type,
    content: message.content,
    ...(message.template ? { template: message.template } : {}),
    status: message.status,
    external_id: message.external_id,
    ...(message.error_code
      ? {
          error: {
            code: message.error_code,
            message: message.error_message ?? message.error_title ?? message.error_code,
            ...(message.error_title ? { title: message.error_title } : {}),
          },
        }
      : {}),
    ...(message.campaign_id ? { campaign_id: message.campaign_id } : {}),
    ...(message.from_user_id ? { from_user_id: message.from_user_id } : {}),
    channel_id: message.channel_id,
    metadata: withoutReactions(message.metadata),
    ...(message.media ? { media: storedMedia(message.media) } : {}),
    ...(message.reply_to_id ? { reply_to: message.reply_to_id } : {}),
    reactions: reactionsOf(message.metadata),
    ...(message.interactive ? { interactive: message.interactive } : {}),
    sent_at: isoOrNull(message.sent_at),
    delivered_at: isoOrNull(message.delivered_at),
    read_at: isoOrNull(message.read_at),
    failed_at: isoOrNull(message.failed_at),
    created_at: message.created_at.toISOString(),
    updated_at: message.updated_at.toISOString(),
  };
}
