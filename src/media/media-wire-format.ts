/**
 * A media message as the Cloud API takes it: `{"type":"image","image":{"id":"<Meta id>","caption":"…"}}`,
 * by the id Meta gave the uploaded file; a document adds its `filename`, audio and stickers carry
 * neither caption nor filename.
 */
import type { JsonObject } from '../db/schema.js';
import { isMediaKind } from './media-kinds.js';

export type MediaWireType = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export interface MediaWireBody {
  readonly id: string;
  readonly caption?: string;
  readonly filename?: string;
}

export interface MediaWireMessage {
  readonly type: string;
  readonly wire_media_id?: string | null;
  readonly media?: JsonObject | null;
  readonly metadata?: JsonObject;
}

export function isMediaWireType(type: string): type is MediaWireType {
  return isMediaKind(type);
}

/** The type's object, or undefined when the file has not been uploaded to Meta. */
export function mediaWireBody(message: MediaWireMessage): MediaWireBody | undefined {
  if (!message.wire_media_id) return undefined;
  const caption = message.metadata?.['caption'];
  const filename = message.media?.['filename'];
  return {
    id: message.wire_media_id,
    ...(typeof caption === 'string' && message.type !== 'audio' && message.type !== 'sticker' ? { caption } : {}),
    ...(typeof filename === 'string' && message.type === 'document' ? { filename } : {}),
  };
}
