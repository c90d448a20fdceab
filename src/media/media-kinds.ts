/**
 * What WhatsApp accepts, by kind, and how FlowChat tells a file's kind from its bytes (never from
 * its name or the client's content type): file-type reads the signature, a UTF-8 head without NUL
 * bytes is plain text, and a WebP's VP8X header says whether a sticker is animated.
 */
import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import type { MediaKind } from '../db/schema.js';

const KB = 1024;
const MB = 1024 * 1024;

/** The largest file of any kind (a document): uploads are cut off past it. */
export const MAX_MEDIA_BYTES = 100 * MB;

export interface DetectedMedia {
  readonly kind: MediaKind;
  readonly mimeType: string;
  /** The largest file of this kind (and, for stickers, of this animation). */
  readonly maxBytes: number;
}

const allKinds: ReadonlySet<string> = new Set<MediaKind>(['image', 'video', 'audio', 'document', 'sticker']);

/** Whether a message type carries a file (the same names serve as FlowChat's kinds and Meta's types). */
export function isMediaKind(type: string): type is MediaKind {
  return allKinds.has(type);
}

export const kindLimits: Readonly<Record<Exclude<MediaKind, 'sticker'>, number>> = {
  image: 5 * MB,
  video: 16 * MB,
  audio: 16 * MB,
  document: MAX_MEDIA_BYTES,
};
export const stickerLimits = { still: 100 * KB, animated: 500 * KB } as const;

/** file-type's extension → WhatsApp's kind and the MIME type Meta expects. */
const byExtension: Readonly<Record<string, { kind: Exclude<MediaKind, 'sticker'>; mimeType: string }>> = {
  jpg: { kind: 'image', mimeType: 'image/jpeg' },
  png: { kind: 'image', mimeType: 'image/png' },
  mp4: { kind: 'video', mimeType: 'video/mp4' },
  '3gp': { kind: 'video', mimeType: 'video/3gpp' },
  aac: { kind: 'audio', mimeType: 'audio/aac' },
  amr: { kind: 'audio', mimeType: 'audio/amr' },
  mp3: { kind: 'audio', mimeType: 'audio/mpeg' },
  m4a: { kind: 'audio', mimeType: 'audio/mp4' },
  opus: { kind: 'audio', mimeType: 'audio/ogg' },
  pdf: { kind: 'document', mimeType: 'application/pdf' },
  docx: { kind: 'document', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  xlsx: { kind: 'document', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  pptx: { kind: 'document', mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
};

/** Legacy Office files share one container format (CFB); the bytes say "Office", the name which one. */
const legacyOffice: Readonly<Record<string, string>> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

const headBytes = 4096;

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(headBytes);
    const { bytesRead } = await handle.read(buffer, 0, headBytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function isPlainText(head: Buffer): boolean {
  if (head.length === 0 || head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** A WebP with the VP8X header's animation flag set. */
function isAnimatedWebp(head: Buffer): boolean {
  return head.length > 20 && head.toString('latin1', 12, 16) === 'VP8X' && ((head[20] ?? 0) & 0x02) !== 0;
}

function extensionOf(filename: string | undefined): string | undefined {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(filename ?? '');
  return match?.[1]?.toLowerCase();
}

/** The kind of the file at `path`, or undefined when WhatsApp would not take it. */
export async function detectMedia(path: string, filename: string | undefined): Promise<DetectedMedia | undefined> {
  const type = await fileTypeFromFile(path);
  if (type?.ext === 'webp') {
    const animated = isAnimatedWebp(await readHead(path));
    return { kind: 'sticker', mimeType: 'image/webp', maxBytes: animated ? stickerLimits.animated : stickerLimits.still };
  }
  if (type?.ext === 'cfb') {
    const mimeType = legacyOffice[extensionOf(filename) ?? ''];
    return mimeType ? { kind: 'document', mimeType, maxBytes: kindLimits.document } : undefined;
  }
  if (type) {
    const known = byExtension[type.ext];
    return known ? { ...known, maxBytes: kindLimits[known.kind] } : undefined;
  }
  return isPlainText(await readHead(path)) ? { kind: 'document', mimeType: 'text/plain', maxBytes: kindLimits.document } : undefined;
}

/** The kind a MIME type from Meta names (inbound files), for its size limit. */
export function limitForKind(kind: MediaKind): number {
  return kind === 'sticker' ? stickerLimits.animated : kindLimits[kind];
}

/** A short label for a message without a caption. */
export function mediaLabel(kind: MediaKind, voice = false): string {
  if (voice) return '[Voice message]';
  return `[${kind.charAt(0).toUpperCase()}${kind.slice(1)}]`;
}
