import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { awaitInEffect } from '../../lib/await-in-effect.js';
import { formatListTime } from '../../lib/format.js';
import { useDebounced } from '../../lib/use-debounced.js';
import { Link } from '../../router/link.js';
import { InlineError } from '../../ui/inline-error.js';
import { searchMessages, type SearchHit } from './api.js';

/** Searches every thread's messages (case and accents ignored); a hit opens its conversation. */
export function MessageSearch() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim());
  const [hits, setHits] = useState<readonly SearchHit[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!query) {
      setHits([]);
      setNext(null);
      return;
    }
    return awaitInEffect(
      searchMessages(query, null),
      (page) => {
        setHits(page.items);
        setNext(page.next_cursor);
        setError(null);
      },
      setError,
    );
  }, [query]);

  const more = async () => {
    if (!next) return;
    try {
      const page = await searchMessages(query, next);
      setHits((old) => [...old, ...page.items]);
      setNext(page.next_cursor);
    } catch (reason) {
      setError(reason);
    }
  };

  return (
    <div className="message-search" role="search">
      <label htmlFor="message-search-q" className="visually-hidden">
        {t('automations.search.label')}
      </label>
      <input id="message-search-q" type="search" placeholder={t('automations.search.placeholder')} value={q} onChange={(event) => setQ(event.target.value)} />
      <InlineError error={error} />
      {query && q.trim() ? (
        <ul className="message-search-results" aria-label={t('automations.search.found')}>
          {hits.length === 0 ? <li className="hint">{t('automations.search.none')}</li> : null}
          {hits.map((hit) => (
            <li key={hit.id}>
              <Link to={`/inbox/${hit.contact.id}`} onClick={() => setQ('')}>
                <strong>{hit.contact.name ?? hit.contact.phone ?? t('automations.search.contact')}</strong>{' '}
                <span className="hint">{formatListTime(hit.created_at)}</span>
                <span className="message-search-text">
                  {hit.direction === 'internal' ? t('automations.search.note') : ''}
                  {hit.content}
                </span>
              </Link>
            </li>
          ))}
          {next ? (
            <li>
              <button type="button" className="link-button" onClick={() => void more()}>
                {t('automations.search.more')}
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
