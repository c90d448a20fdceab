/**
 * An inbound WhatsApp message as FlowChat stores it: its type, a readable `content` an agent can
 * read in the thread whatever the type, and the details (media id, reply ids, coordinates) in
 * metadata. Reactions are not chat messages: they come back as state for the message reacted to.
 */
import type { JsonObject, JsonValue } from '../../db/schema.js';
import { firstError, numberAt, objectAt, objectsAt, stringAt } from './webhook-payload.js';

export type ParsedInbound =
  | { readonly kind: 'message'; readonly type: string; readonly content: string; readonly metadata: JsonObject }
  | { readonly kind: 'reaction'; readonly targetWamid: string; readonly emoji: string | null };

const mediaLabels: Readonly<Record<string, string>> = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  document: 'Document',
  sticker: 'Sticker',
};

/** Drops undefined values, so metadata holds only what the payload had. */
function compact(fields: Record<string, JsonValue | undefined>): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) result[key] = value;
  return result;
}

function media(type: string, message: JsonObject): { content: string; metadata: JsonObject } {
  const body = objectAt(message, type);
  const caption = stringAt(body, 'caption');
  const filename = stringAt(body, 'filename');
  const voice = body?.['voice'] === true;
  const label = voice ? 'Voice message' : (mediaLabels[type] ?? type);
  return {
    content: caption?.trim() ? caption : `[${label}${filename ? `: ${filename}` : ''}]`,
    metadata: {
      media: compact({
        id: stringAt(body, 'id'),
        mime_type: stringAt(body, 'mime_type'),
        sha256: stringAt(body, 'sha256'),
        caption,
        filename,
        voice: voice || undefined,
        url: stringAt(body, 'url'),
      }),
    },
  };
}

function location(message: JsonObject): { content: string; metadata: JsonObject } {
  const body = objectAt(message, 'location');
  const latitude = numberAt(body, 'latitude');
  const longitude = numberAt(body, 'longitude');
  const place = [stringAt(body, 'name'), stringAt(body, 'address')].filter(Boolean).join(', ');
  const coordinates = latitude !== undefined && longitude !== undefined ? `${latitude}, ${longitude}` : '';
  return {
    content: `[Location] ${[place, coordinates && `(${coordinates})`].filter(Boolean).join(' ')}`.trim(),
    metadata: { location: compact({ latitude, longitude, name: stringAt(body, 'name'), address: stringAt(body, 'address'), url: stringAt(body, 'url') }) },
  };
}

function sharedContacts(message: JsonObject): { content: string; metadata: JsonObject } {
  const cards = objectsAt(message, 'contacts');
  const names = cards.map((card) => {
    const name = stringAt(objectAt(card, 'name'), 'formatted_name') ?? 'Unnamed';
    const phones = objectsAt(card, 'phones').map((phone) => stringAt(phone, 'phone')).filter(Boolean);
    return phones.length ? `${name} (${phones.join(', ')})` : name;
  });
  return { content: `[Contact] ${names.join('; ') || 'empty card'}`, metadata: { contacts: cards } };
}

function interactive(message: JsonObject): { content: string; metadata: JsonObject } {
  const body = objectAt(message, 'interactive');
  const kind = stringAt(body, 'type') ?? 'unknown';
  const reply = objectAt(body, kind);
  if (kind === 'button_reply' || kind === 'list_reply') {
    const title = stringAt(reply, 'title') ?? stringAt(reply, 'id') ?? '';
    const description = stringAt(reply, 'description');
    return {
      content: title,
      metadata: { reply: compact({ type: kind, id: stringAt(reply, 'id'), title: stringAt(reply, 'title'), description }) },
    };
  }
  return { content: `[Interactive reply: ${kind}]`, metadata: { reply: compact({ type: kind, body: reply }) } };
}

function order(message: JsonObject): { content: string; metadata: JsonObject } {
  const body = objectAt(message, 'order');
  const items = objectsAt(body, 'product_items');
  const text = stringAt(body, 'text');
  return { content: `[Order] ${items.length} item${items.length === 1 ? '' : 's'}${text ? `: ${text}` : ''}`, metadata: { order: body ?? {} } };
}

function unsupported(type: string, message: JsonObject): { content: string; metadata: JsonObject } {
  const inner = stringAt(objectAt(message, 'unsupported'), 'type');
  const shown = type === 'unsupported' ? inner : type;
  return {
    content: `[Unsupported message${shown ? `: ${shown}` : ''}]`,
    metadata: compact({ unsupported: compact({ type: shown, original_type: type === 'unsupported' ? undefined : type }) }),
  };
}

function body(type: string, message: JsonObject): { type: string; content: string; metadata: JsonObject } {
  switch (type) {
    case 'text':
      return { type, content: stringAt(objectAt(message, 'text'), 'body') ?? '', metadata: {} };
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return { type, ...media(type, message) };
    case 'location':
      return { type, ...location(message) };
    case 'contacts':
      return { type, ...sharedContacts(message) };
    case 'interactive':
      return { type, ...interactive(message) };
    case 'button': {
      const button = objectAt(message, 'button');
      const payload = stringAt(button, 'payload');
      const title = stringAt(button, 'text');
      return { type, content: title ?? payload ?? '', metadata: { button: button ?? {}, reply: compact({ id: payload ?? title, title: title ?? payload }) } };
    }
    case 'order':
      return { type, ...order(message) };
    case 'system': {
      const system = objectAt(message, 'system');
      return { type, content: stringAt(system, 'body') ?? '[System message]', metadata: { system: system ?? {} } };
    }
    case 'request_welcome':
      return { type, content: '[Opened the chat]', metadata: {} };
    default:
      return { type: 'unsupported', ...unsupported(type, message) };
  }
}

/** Reads one item of a webhook's `messages` array. */
export function parseInboundMessage(message: JsonObject): ParsedInbound {
  const type = stringAt(message, 'type') ?? 'unsupported';
  if (type === 'reaction') {
    const reaction = objectAt(message, 'reaction');
    const target = stringAt(reaction, 'message_id');
    const emoji = stringAt(reaction, 'emoji');
    if (target) return { kind: 'reaction', targetWamid: target, emoji: emoji ? emoji : null };
  }
  const parsed = body(type, message);
  const context = objectAt(message, 'context');
  const referral = objectAt(message, 'referral');
  const error = firstError(message);
  const metadata = compact({
    ...parsed.metadata,
    context: context ? compact({ message_id: stringAt(context, 'id'), from: stringAt(context, 'from') }) : undefined,
    referral,
    error: error ? compact({ code: error.code, title: error.title, details: error.details }) : undefined,
  });
  return { kind: 'message', type: parsed.type, content: parsed.content, metadata };
}
