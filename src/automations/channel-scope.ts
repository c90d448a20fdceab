/**
 * Where automations meet channels (several WhatsApp numbers). Messages carry no channel on this
 * branch yet, so these two functions are the only places that learn it once they do: the
 * `channel_ids` condition and the agents that assignment picks from.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Message } from '../db/schema.js';

/** The channel the inbound message arrived on; undefined while messages carry none. */
export function channelOf(message: Message): string | undefined {
  const channel = (message as Message & { channel_id?: string | null }).channel_id;
  return channel ?? undefined;
}

/** Whether the message arrived on one of `channelIds` (a message on no channel matches none). */
export function onChannels(message: Message, channelIds: readonly string[]): boolean {
  const channel = channelOf(message);
  return channel !== undefined && channelIds.some((id) => id.toLowerCase() === channel.toLowerCase());
}

/**
 * The users who may be assigned a conversation of `channelId`, as a condition on `users u`:
 * every user while channels have no members.
 */
export function agentsOf(_channelId: string | undefined): RawBuilder<boolean> {
  return sql<boolean>`true`;
}
