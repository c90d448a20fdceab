import { useCallback } from 'react';
import { createQuickReply, deleteQuickReply, listQuickReplies } from '../../api/quick-replies.js';
import type { QuickReply } from '../../api/types.js';
import { useAsync } from '../../lib/use-async.js';

export interface QuickRepliesState {
  readonly items: readonly QuickReply[];
  readonly error: unknown;
  readonly add: (shortcut: string, text: string) => Promise<void>;
  readonly remove: (id: string) => Promise<void>;
}

const NONE: readonly QuickReply[] = [];

/** The saved snippets the composer offers after "/". */
export function useQuickReplies(): QuickRepliesState {
  const replies = useAsync<readonly QuickReply[]>(() => listQuickReplies(), []);
  const { setData } = replies;

  const add = useCallback(
    async (shortcut: string, text: string) => {
      const created = await createQuickReply(shortcut, text);
      setData((old = NONE) => [...old.filter((item) => item.id !== created.id), created]);
    },
    [setData],
  );

  const remove = useCallback(
    async (id: string) => {
      await deleteQuickReply(id);
      setData((old = NONE) => old.filter((item) => item.id !== id));
    },
    [setData],
  );

  return { items: replies.data ?? NONE, error: replies.error, add, remove };
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
