/**
 * Inbound media messages get their file row as they are stored, in the same transaction: the
 * message is there at once with `media.status: "downloading"`, and the media worker fetches the
 * bytes afterwards, so a slow or failing download never holds the message back.
 */
import type { JsonObject, MediaKind, Message } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { signalWork } from '../db/work-signals.js';
import { isMediaKind } from './media-kinds.js';
import { mediaSnapshot } from './media-presenter.js';
import { MediaRepository, type NewInboundMedia } from './media.repository.js';

function fileOf(message: Message, numbers: ReadonlyMap<string, string>): NewInboundMedia | undefined {
  const media = message.metadata['media'];
  if (!isMediaKind(message.type) || !media || typeof media !== 'object' || Array.isArray(media)) return undefined;
  const fields = media as JsonObject;
  const id = fields['id'];
  if (typeof id !== 'string' || id === '') return undefined;
  const text = (key: string): string | null => (typeof fields[key] === 'string' ? (fields[key] as string) : null);
  return {
    kind: message.type as MediaKind,
    mimeType: text('mime_type') ?? 'application/octet-stream',
    filename: text('filename'),
    voice: fields['voice'] === true,
    metaMediaId: id,
    phoneNumberId: numbers.get(message.channel_id) ?? null,
    expectedSha256: text('sha256'),
  };
}

/** Creates the files of freshly stored inbound messages; returns the messages as they now are (same positions). */
export async function attachInboundMedia<T extends Message | undefined>(db: Executor, messages: readonly T[]): Promise<T[]> {
  const channelIds = [...new Set(messages.flatMap((message) => (message && isMediaKind(message.type) ? [message.channel_id] : [])))];
  if (channelIds.length === 0) return [...messages];
  // The number each file came in on: its download uses that number's token.
  const numbers = new Map((await db.selectFrom('channels').select(['id', 'phone_number_id']).where('id', 'in', channelIds).execute()).map((row) => [row.id, row.phone_number_id]));
  const withFiles = messages.flatMap((message) => {
    const file = message ? fileOf(message, numbers) : undefined;
    return message && file ? [{ message, file }] : [];
  });
  if (withFiles.length === 0) return [...messages];
  const repository = new MediaRepository(db);
  const files = await repository.insertInbound(withFiles.map((item) => item.file));
  const updated = await repository.attach(withFiles.map((item, index) => {
    const file = files[index];
    if (!file) throw new Error('an inbound media row was not created');
    return { messageId: item.message.id, mediaId: file.id, snapshot: mediaSnapshot(file) };
  }));
  signalWork(db, 'media');
  const byId = new Map(updated.map((message) => [message.id, message]));
  return messages.map((message) => (message ? ((byId.get(message.id) ?? message) as T) : message));
}
