import { useCallback, useEffect, useState } from 'react';
import { createQuickReply, deleteQuickReply, listQuickReplies } from '../../api/quick-replies.js';
import type { QuickReply } from '../../api/types.js';

export interface QuickRepliesState {
  readonly items: readonly QuickReply[];
  readonly error: unknown;
  readonly add: (shortcut: string, text: string) => Promise<void>;
  readonly remove: (id: string) => Promise<void>;
}

/** The saved snippets the composer offers after "/". */
export function useQuickReplies(): QuickRepliesState {
  const [items, setItems] = useState<readonly QuickReply[]>([]);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let stale = false;
    listQuickReplies().then(
      (list) => {
        if (!stale) setItems(list);
      },
      (reason: unknown) => {
        if (!stale) setError(reason);
      },
    );
    return () => {
      stale = true;
    };
  }, []);

  const add = useCallback(async (shortcut: string, text: string) => {
    const created = await createQuickReply(shortcut, text);
    setItems((old) => [...old.filter((item) => item.id !== created.id), created]);
  }, []);

  const remove = useCallback(async (id: string) => {
    await deleteQuickReply(id);
    setItems((old) => old.filter((item) => item.id !== id));
  }, []);

  return { items, error, add, remove };
}

/** The "/word" being typed just before the caret, or null when the caret is not in one. */
export function slashQuery(text: string, caret: number): { readonly start: number; readonly query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/([^\s/]*)$/.exec(before);
  if (!match) return null;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, query: query.toLowerCase() };
}

export function matchingReplies(items: readonly QuickReply[], query: string): readonly QuickReply[] {
  return items
    .filter((item) => item.shortcut.toLowerCase().replace(/^\//, '').startsWith(query) || item.text.toLowerCase().includes(query))
    .slice(0, 8);
}
