// Changes to the rows of a loaded list: each runs a request, then updates the rows on screen.
import { useCallback, useState } from 'react';
import type { AsyncState } from './use-async.js';

export interface RowActions<T> {
  /** The last failed action's error; a later action that succeeds clears it. */
  readonly error: unknown;
  readonly setError: (error: unknown) => void;
  /** Runs `action`, keeping its error. */
  readonly run: (action: () => Promise<void>) => Promise<void>;
  readonly append: (row: T) => void;
  /** Puts a row the server just returned in place of the old one. */
  readonly replace: (row: T) => void;
  /** Asks `question` and, on yes, deletes the row with `request` and drops it from the list. */
  readonly remove: (row: T, question: string, request: (id: string) => Promise<unknown>) => Promise<void>;
}

export function useRowActions<T extends { readonly id: string }>(rows: AsyncState<readonly T[]>): RowActions<T> {
  const [error, setError] = useState<unknown>(null);
  const { setData } = rows;

  const run = useCallback(async (action: () => Promise<void>) => {
    try {
      await action();
      setError(null);
    } catch (reason) {
      setError(reason);
    }
  }, []);
  const append = useCallback((row: T) => setData((old) => [...(old ?? []), row]), [setData]);
  const replace = useCallback((row: T) => setData((old) => old?.map((item) => (item.id === row.id ? row : item))), [setData]);
  const remove = useCallback(
    async (row: T, question: string, request: (id: string) => Promise<unknown>) => {
      if (!window.confirm(question)) return;
      await run(async () => {
        await request(row.id);
        setData((old) => old?.filter((item) => item.id !== row.id));
      });
    },
    [run, setData],
  );
  return { error, setError, run, append, replace, remove };
}
