/**
 * Request bodies exactly as Meta's Cloud API schema describes them: every send carries
 * `messaging_product`, `recipient_type: "individual"`, `to` in E.164 with its `+`, the type's
 * object, and FlowChat's message id as `biz_opaque_callback_data` so status webhooks can be
 * matched even before the wamid is stored.
 */
import type { JsonObject, JsonValue } from '../../db/schema.js';
import { interactiveWire } from '../../interactive/interactive-message.js';
import { isMediaWireType, mediaWireBody, type MediaWireBody, type MediaWireType } from '../../media/media-wire-format.js';

export interface TextBody {
  readonly preview_url: boolean;
  readonly body: string;
}

export interface TemplateBody {
  readonly name: string;
  readonly language: { readonly code: string };
  readonly components?: JsonValue[];
}

interface BaseSendRequest {
  readonly messaging_product: 'whatsapp';
  readonly recipient_type: 'individual';
  readonly to: string;
  readonly biz_opaque_callback_data: string;
  /** A reply: the quoted message's wamid. */
  readonly context?: { readonly message_id: string };
}

/** A reaction is not a FlowChat message: no callback data, and Meta takes no context on it. */
export interface ReactionRequest {
  readonly messaging_product: 'whatsapp';
  readonly recipient_type: 'individual';
  readonly to: string;
  readonly type: 'reaction';
  readonly reaction: { readonly message_id: string; readonly emoji: string };
}

export type SendRequest =
  | (BaseSendRequest & { readonly type: 'text'; readonly text: TextBody })
  | (BaseSendRequest & { readonly type: 'template'; readonly template: TemplateBody })
  | (BaseSendRequest & { readonly type: 'interactive'; readonly interactive: JsonObject })
  | (BaseSendRequest & { readonly type: MediaWireType } & { readonly [kind in MediaWireType]?: MediaWireBody })
  | ReactionRequest;

export interface MarkReadRequest {
  readonly messaging_product: 'whatsapp';
  readonly status: 'read';
  readonly message_id: string;
}

/** What a send needs from the stored message. */
export interface OutgoingMessage {
  readonly id: string;
  readonly type: string;
  readonly content: string | null;
  readonly template: JsonObject | null;
  readonly interactive?: JsonObject | null;
  /** Media messages: the id Meta gave the file, and the file. */
  readonly wire_media_id?: string | null;
  readonly media?: JsonObject | null;
  /** `context.message_id` holds the wamid of the message a reply quotes; `caption` a media message's caption. */
  readonly metadata?: JsonObject;
}

/** Why a stored message cannot become a request (it fails rather than going out malformed). */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireFormatError';
  }
}

const maxTextLength = 4096;

/** `+` and digits only: Meta would otherwise prefix the business's own country code. */
export function toE164(phone: string): string {
  const digits = phone.replace(/[^\d]/g, '');
  if (digits.length < 6 || digits.length > 15) throw new WireFormatError('The contact has no valid phone number');
  return `+${digits}`;
}

function languageCode(language: JsonValue | undefined): string {
  if (typeof language === 'string' && language.trim() !== '') return language.trim();
  if (language && typeof language === 'object' && !Array.isArray(language) && typeof language['code'] === 'string') return language['code'];
  throw new WireFormatError('The template has no language code');
}

/** Meta wants a button's `index` as a string ("0"–"9"); a number is converted. */
function component(value: JsonValue): JsonValue {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const index = value['index'];
  return typeof index === 'number' ? { ...value, index: String(index) } : value;
}

function templateBody(template: JsonObject | null): TemplateBody {
  const name = template?.['name'];
  if (typeof name !== 'string' || name === '') throw new WireFormatError('The template has no name');
  const components = template?.['components'];
  return {
    name,
    language: { code: languageCode(template?.['language']) },
    ...(Array.isArray(components) && components.length > 0 ? { components: components.map(component) } : {}),
  };
}

/** The Cloud API request that sends `message` to `phone`. */
export function sendRequest(message: OutgoingMessage, phone: string): SendRequest {
  const context = message.metadata?.['context'];
  const quoted = context && typeof context === 'object' && !Array.isArray(context) ? context['message_id'] : undefined;
  const base: BaseSendRequest = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: toE164(phone),
    biz_opaque_callback_data: message.id,
    ...(typeof quoted === 'string' && quoted !== '' ? { context: { message_id: quoted } } : {}),
  };
  if (message.type === 'text') {
    const body = message.content ?? '';
    if (body.trim() === '' || body.length > maxTextLength) throw new WireFormatError('The text is empty or longer than 4096 characters');
    return { ...base, type: 'text', text: { preview_url: /https?:\/\//i.test(body), body } };
  }
  if (message.type === 'template') return { ...base, type: 'template', template: templateBody(message.template) };
  if (message.type === 'interactive') {
    const interactive = interactiveWire(message.interactive);
    if (!interactive) throw new WireFormatError('The interactive message has no body or no buttons or list');
    return { ...base, type: 'interactive', interactive };
  }
  if (isMediaWireType(message.type)) {
    const media = mediaWireBody(message);
    if (!media) throw new WireFormatError('The media file was not uploaded to WhatsApp');
    return { ...base, type: message.type, [message.type]: media };
  }
  throw new WireFormatError(`FlowChat cannot send messages of type "${message.type.slice(0, 40)}"`);
}

/** The request that sets (or, with `""`, removes) a reaction on the message with `wamid`. */
export function reactionRequest(phone: string, wamid: string, emoji: string): ReactionRequest {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to: toE164(phone), type: 'reaction', reaction: { message_id: wamid, emoji } };
}

export function markReadRequest(wamid: string): MarkReadRequest {
  return { messaging_product: 'whatsapp', status: 'read', message_id: wamid };
}
