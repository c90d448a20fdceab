/**
 * Reactions as the message resource shows them. They are stored on the target message, in
 * `metadata.reactions`, keyed by who reacted: a contact by its id (inbound reactions), an agent as
 * `user:<id>`; each key holds `{emoji, at}`, a null emoji once the reaction is removed.
 */
import type { JsonObject, JsonValue } from '../db/schema.js';

// A type, not an interface, so that it stays assignable to JSON event data.
export type ReactionResource = {
  emoji: string;
  from: 'contact' | 'user';
  user_id?: string;
};

const userPrefix = 'user:';

export function userReactor(userId: string): string {
  return `${userPrefix}${userId}`;
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** The reactions on a message with these metadata, oldest first. */
export function reactionsOf(metadata: JsonObject): ReactionResource[] {
  const stored = asObject(metadata['reactions']);
  if (!stored) return [];
  return Object.entries(stored)
    .flatMap(([reactor, value]) => {
      const state = asObject(value);
      const emoji = state?.['emoji'];
      if (typeof emoji !== 'string' || emoji === '') return [];
      const at = typeof state?.['at'] === 'string' ? state['at'] : '';
      const reaction: ReactionResource = reactor.startsWith(userPrefix) ? { emoji, from: 'user', user_id: reactor.slice(userPrefix.length) } : { emoji, from: 'contact' };
      return [{ reaction, at }];
    })
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .map((entry) => entry.reaction);
}

/** The metadata without the reactions (shown as `reactions` instead). */
export function withoutReactions(metadata: JsonObject): JsonObject {
  if (!('reactions' in metadata)) return metadata;
  const { reactions: _reactions, ...rest } = metadata;
  return rest;
}
