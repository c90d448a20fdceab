import { useCallback, useEffect, useRef, useState } from 'react';
import { listConversations } from '../../api/conversations.js';
import type { ConversationQuery } from '../../api/conversations.js';
import type { Contact, Conversation, Message } from '../../api/types.js';
import { useEvent, useStreamResumed } from '../../events/use-event.js';
import { useAsync } from '../../lib/use-async.js';

export interface ConversationFilters {
  readonly status: 'open' | 'closed' | 'all';
  readonly mine: boolean;
  readonly tag: string;
  readonly q: string;
  /** A channel id; empty: every number. */
  readonly channel: string;
}

export interface ConversationsState {
  readonly items: readonly Conversation[];
  readonly loading: boolean;
  readonly error: unknown;
  readonly hasMore: boolean;
  readonly loadMore: () => void;
  readonly reload: () => void;
  /** Puts a conversation the server just returned in place of the old one. */
  readonly replace: (conversation: Conversation) => void;
  readonly markSeen: (contactId: string) => void;
}

/** The conversations loaded so far and the cursor of the next page (null on the last). */
interface Listed {
  readonly items: readonly Conversation[];
  readonly cursor: string | null;
}

const NONE: readonly Conversation[] = [];

function activityOf(conversation: Conversation): string {
  return conversation.last_message?.created_at ?? conversation.contact.updated_at;
}

function byNewestActivity(a: Conversation, b: Conversation): number {
  return activityOf(b).localeCompare(activityOf(a));
}

/** Applies a `contact.updated` payload, which also carries the conversation's state. */
export function withContact(item: Conversation, contact: Contact): Conversation {
  return {
    ...item,
    contact,
    status: contact.conversation_status ?? item.status,
    assignee_id: contact.assignee_id !== undefined ? contact.assignee_id : item.assignee_id,
    unread_count: contact.unread_count ?? item.unread_count,
  };
}

function toQuery(filters: ConversationFilters, cursor: string | null): ConversationQuery {
  return {
    status: filters.status === 'all' ? undefined : filters.status,
    assignee: filters.mine ? 'me' : undefined,
    tag: filters.tag.trim().toLowerCase() || undefined,
    q: filters.q.trim() || undefined,
    channel_id: filters.channel || undefined,
    limit: 50,
    cursor,
  };
}

/**
 * The conversation list for the given filters, kept current by the event stream: a new message
 * moves its conversation to the top and bumps its unread badge unless that thread is open.
 */
export function useConversations(filters: ConversationFilters, openContactId: string | null): ConversationsState {
  const [moreError, setMoreError] = useState<unknown>(null);
  const list = useAsync<Listed>(async (signal) => {
    const page = await listConversations(toQuery(filters, null), signal);
    setMoreError(null);
    return { items: page.items, cursor: page.next_cursor };
  }, [filters]);
  const { setData, reload } = list;
  const items = list.data?.items ?? NONE;
  const cursor = list.data?.cursor ?? null;
  const setItems = useCallback(
    (update: (old: readonly Conversation[]) => readonly Conversation[]) => setData((old) => old && { ...old, items: update(old.items) }),
    [setData],
  );
  const openRef = useRef(openContactId);
  openRef.current = openContactId;
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const loadingMore = useRef(false);
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (refetchTimer.current) clearTimeout(refetchTimer.current);
    },
    [],
  );

  // A message for a contact not on screen may belong to a conversation the filters include:
  // asking the server again is the only way to know, so batch such refetches.
  const scheduleReload = useCallback(() => {
    if (refetchTimer.current) return;
    refetchTimer.current = setTimeout(() => {
      refetchTimer.current = null;
      reload();
    }, 400);
  }, [reload]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore.current) return;
    loadingMore.current = true;
    listConversations(toQuery(filtersRef.current, cursor)).then(
      (page) => {
        setData((old) => {
          if (!old) return old;
          const known = new Set(old.items.map((item) => item.contact.id));
          return { items: [...old.items, ...page.items.filter((item) => !known.has(item.contact.id))], cursor: page.next_cursor };
        });
        loadingMore.current = false;
      },
      (reason: unknown) => {
        setMoreError(reason);
        loadingMore.current = false;
      },
    );
  }, [cursor, setData]);

  const replace = useCallback(
    (conversation: Conversation) => {
      setItems((old) => old.map((item) => (item.contact.id === conversation.contact.id ? conversation : item)));
    },
    [setItems],
  );

  const markSeen = useCallback(
    (contactId: string) => {
      setItems((old) =>
        old.map((item) => (item.contact.id === contactId && item.unread_count > 0 ? { ...item, unread_count: 0 } : item)),
      );
    },
    [setItems],
  );

  const onMessage = useCallback(
    (message: Message, created: boolean) => {
      const known = itemsRef.current.some((item) => item.contact.id === message.contact_id);
      if (!known) {
        if (created) scheduleReload();
        return;
      }
      setItems((old) => {
        const index = old.findIndex((item) => item.contact.id === message.contact_id);
        if (index === -1) return old;
        const item = old[index] as Conversation;
        if (!created) {
          if (item.last_message?.id !== message.id) return old;
          const next = [...old];
          next[index] = { ...item, last_message: message };
          return next;
        }
        const unread =
          message.direction === 'inbound' && openRef.current !== message.contact_id ? item.unread_count + 1 : item.unread_count;
        const updated: Conversation = { ...item, last_message: message, unread_count: unread };
        return [updated, ...old.slice(0, index), ...old.slice(index + 1)].sort(byNewestActivity);
      });
    },
    [scheduleReload, setItems],
  );

  useEvent('message.created', (message) => onMessage(message, true));
  useEvent('message.updated', (message) => onMessage(message, false));
  useEvent('contact.updated', (contact) =>
    setItems((old) => old.map((item) => (item.contact.id === contact.id ? withContact(item, contact) : item))),
  );
  useStreamResumed(reload);

  return { items, loading: list.loading, error: list.error ?? moreError, hasMore: cursor !== null, loadMore, reload, replace, markSeen };
}
