import { useCallback, useEffect, useRef, useState } from 'react';
import { listMessages } from '../../api/messages.js';
import type { Message } from '../../api/types.js';
import { useEvent, useStreamResumed } from '../../events/use-event.js';
import { awaitInEffect } from '../../lib/await-in-effect.js';
import { byCreated, mergeMessage, updateMessage } from './message-order.js';

const PAGE = 50;

export interface ThreadState {
  /** Oldest first, as the thread shows them. */
  readonly messages: readonly Message[];
  readonly loading: boolean;
  readonly loadingOlder: boolean;
  readonly error: unknown;
  readonly hasOlder: boolean;
  readonly loadOlder: () => void;
  readonly add: (message: Message) => void;
}

/** One contact's thread: the newest page first, older pages by cursor, live updates merged in. */
export function useThread(contactId: string): ThreadState {
  const [messages, setMessages] = useState<readonly Message[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const olderInFlight = useRef(false);
  const contactRef = useRef(contactId);
  contactRef.current = contactId;

  useEffect(() => {
    setMessages([]);
    setCursor(null);
    setLoading(true);
    setError(null);
    return awaitInEffect(
      listMessages(contactId, null, PAGE),
      (page) => {
        setMessages([...page.items].sort(byCreated));
        setCursor(page.next_cursor);
        setLoading(false);
      },
      (reason) => {
        setError(reason);
        setLoading(false);
      },
    );
  }, [contactId]);

  const loadOlder = useCallback(() => {
    if (!cursor || olderInFlight.current) return;
    olderInFlight.current = true;
    setLoadingOlder(true);
    const forContact = contactId;
    listMessages(forContact, cursor, PAGE).then(
      (page) => {
        olderInFlight.current = false;
        setLoadingOlder(false);
        if (contactRef.current !== forContact) return;
        setMessages((old) => {
          const known = new Set(old.map((message) => message.id));
          const older = page.items.filter((message) => !known.has(message.id)).sort(byCreated);
          return [...older, ...old];
        });
        setCursor(page.next_cursor);
      },
      (reason: unknown) => {
        olderInFlight.current = false;
        setLoadingOlder(false);
        setError(reason);
      },
    );
  }, [contactId, cursor]);

  const cursorRef = useRef(cursor);
  cursorRef.current = cursor;

  const add = useCallback((message: Message) => {
    if (message.contact_id !== contactRef.current) return;
    setMessages((old) => {
      // A message older than the loaded range arrives with its page; inserting it now would leave a gap.
      const oldest = old[0];
      if (cursorRef.current !== null && oldest && message.created_at < oldest.created_at) return old;
      return mergeMessage(old, message);
    });
  }, []);

  useEvent('message.created', add);
  useEvent('message.updated', (message) => {
    if (message.contact_id === contactRef.current) setMessages((old) => updateMessage(old, message));
  });

  // After a drop the server replays missed events, but a refetch of the newest page also
  // covers a gap longer than its replay log.
  useStreamResumed(() => {
    const forContact = contactRef.current;
    listMessages(forContact, null, PAGE).then(
      (page) => {
        if (contactRef.current !== forContact) return;
        setMessages((old) => page.items.reduce<readonly Message[]>((list, message) => mergeMessage(list, message), old));
      },
      // The stream is live again; the next event or thread switch corrects a failed refresh.
      () => undefined,
    );
  });

  return { messages, loading, loadingOlder, error, hasOlder: cursor !== null, loadOlder, add };
}
