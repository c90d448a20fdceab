/**
 * A media file as the API shows it: alone (`POST /api/v1/media`) and on the messages that carry it
 * (`message.media`, kept on the message row so threads and events read it without a join).
 */
import type { JsonObject, Media } from '../db/schema.js';

/** A type, not an interface, so it is a `JsonValue` as events need. */
export type MediaResource = {
  id: string;
  url: string;
  kind: Media['kind'];
  mime_type: string;
  size: number | null;
  sha256: string | null;
  filename?: string;
  voice?: boolean;
  status: Media['status'];
};

export function mediaUrl(id: string): string {
  return `/api/v1/media/${id}`;
}

export function presentMedia(media: Media, filename?: string | null): MediaResource {
  const name = filename ?? media.filename;
  return {
    id: media.id,
    url: mediaUrl(media.id),
    kind: media.kind,
    mime_type: media.mime_type,
    size: media.size,
    sha256: media.sha256,
    ...(name ? { filename: name } : {}),
    ...(media.voice ? { voice: true } : {}),
    status: media.status,
  };
}

/** The copy stored on a message row (JSON without undefined values). */
export function mediaSnapshot(media: Media, filename?: string | null): JsonObject {
  return JSON.parse(JSON.stringify(presentMedia(media, filename))) as JsonObject;
}

/** The copy a message row carries, as its resource shows it (it was written by `mediaSnapshot`). */
export function storedMedia(snapshot: JsonObject): MediaResource {
  return snapshot as unknown as MediaResource;
}
