import type { Message, MessageStatus } from '../../api/types.js';

const RANK: Readonly<Record<MessageStatus, number>> = {
  pending: 0,
  received: 1,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 4,
  canceled: 4,
};

/**
 * Whether `next` should replace `current`. Status only moves forward, so an event that arrives
 * late (a `sent` after the `read`) must not turn a tick back.
 */
export function isNewer(current: Message, next: Message): boolean {
  if (RANK[next.status] !== RANK[current.status]) return RANK[next.status] > RANK[current.status];
  return next.updated_at >= current.updated_at;
}

/**
 * Applies a status change to a message already in the list; a change to a message not loaded
 * (marking a long thread read updates every old one) is ignored rather than inserted.
 */
export function updateMessage(list: readonly Message[], message: Message): readonly Message[] {
  const index = list.findIndex((item) => item.id === message.id);
  if (index === -1 || !isNewer(list[index] as Message, message)) return list;
  const next = [...list];
  next[index] = message;
  return next;
}

/** Inserts or updates one message in a list sorted oldest first. */
export function mergeMessage(list: readonly Message[], message: Message): readonly Message[] {
  const index = list.findIndex((item) => item.id === message.id);
  if (index !== -1) {
    const current = list[index] as Message;
    if (!isNewer(current, message)) return list;
    const next = [...list];
    next[index] = message;
    return next;
  }
  const last = list[list.length - 1];
  if (!last || last.created_at <= message.created_at) return [...list, message];
  const next = [...list, message];
  next.sort(byCreated);
  return next;
}

export function byCreated(a: Message, b: Message): number {
  return a.created_at === b.created_at ? a.id.localeCompare(b.id) : a.created_at.localeCompare(b.created_at);
}
