/**
 * Where automations meet channels (several WhatsApp numbers): the `channel_ids` condition and the
 * agents that assignment picks from.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Message } from '../db/schema.js';

/** The channel the inbound message arrived on. */
export function channelOf(message: Message): string {
  return message.channel_id;
}

/** Whether the message arrived on one of `channelIds`. */
export function onChannels(message: Message, channelIds: readonly string[]): boolean {
  const channel = message.channel_id.toLowerCase();
  return channelIds.some((id) => id.toLowerCase() === channel);
}

/**
 * The users who may be assigned a conversation of `channelId`, as a condition on `users u`: the
 * channel's members, or every user while the channel has none (it is open to every agent).
 */
export function agentsOf(channelId: string | undefined): RawBuilder<boolean> {
  if (channelId === undefined) return sql<boolean>`true`;
  return sql<boolean>`(
    NOT EXISTS (SELECT 1 FROM channel_members cm WHERE cm.channel_id = ${channelId}::uuid)
    OR EXISTS (SELECT 1 FROM channel_members cm WHERE cm.channel_id = ${channelId}::uuid AND cm.user_id = u.id)
    OR u.role = 'admin'
  )`;
}
