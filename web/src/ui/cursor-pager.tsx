// Keyset paging for list screens: the cursors walked so far, and the Previous / Next bar.
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface CursorPages {
  /** The cursor of the page on screen; null for the first page. */
  readonly cursor: string | null;
  /** 1 for the first page. */
  readonly number: number;
  readonly next: (cursor: string) => void;
  readonly previous: () => void;
  /** Back to the first page, e.g. when a filter changes. */
  readonly reset: () => void;
}

/** The cursors of the pages before the current one, so Previous can walk back. */
export function useCursorPages(): CursorPages {
  const [cursors, setCursors] = useState<readonly (string | null)[]>([null]);
  const next = useCallback((cursor: string) => setCursors((old) => [...old, cursor]), []);
  const previous = useCallback(() => setCursors((old) => (old.length > 1 ? old.slice(0, -1) : old)), []);
  const reset = useCallback(() => setCursors((old) => (old.length > 1 ? [null] : old)), []);
  return useMemo(
    () => ({ cursor: cursors[cursors.length - 1] ?? null, number: cursors.length, next, previous, reset }),
    [cursors, next, previous, reset],
  );
}

interface CursorPagerProps {
  /** Names the navigation landmark, e.g. "Contact pages". */
  readonly label: string;
  readonly pages: CursorPages;
  /** The loaded page's `next_cursor`: null on the last page. */
  readonly nextCursor: string | null | undefined;
}

export function CursorPager({ label, pages, nextCursor }: CursorPagerProps) {
  const { t } = useTranslation();
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={pages.number <= 1} onClick={pages.previous}>
        {t('common.previousPage')}
      </button>
      <span>{t('common.page', { number: pages.number })}</span>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>
        {t('common.nextPage')}
      </button>
    </nav>
  );
}
