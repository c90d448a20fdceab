import { useCallback, useEffect, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { getConversation } from '../../api/conversations.js';
import type { Conversation } from '../../api/types.js';
import { useEvent } from '../../events/use-event.js';
import { awaitInEffect } from '../../lib/await-in-effect.js';
import { useDebounced } from '../../lib/use-debounced.js';
import { Link } from '../../router/link.js';
import { matchPath, usePathname } from '../../router/router.js';
import { useSession } from '../../session/session-context.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';
import { ConversationFiltersBar } from './conversation-filters.js';
import { ConversationList } from './conversation-list.js';
import { ConversationPane } from './conversation-pane.js';
import { useConversations, withContact } from './use-conversations.js';
import type { ConversationFilters } from './use-conversations.js';
import { useQuickReplies } from './use-quick-replies.js';
import { MessageSearch } from '../automations/message-search.js';
import { useMyChannels } from '../channels/use-my-channels.js';

const DEFAULT_FILTERS: ConversationFilters = { status: 'open', mine: false, tag: '', q: '', channel: '' };

/** The inbox: conversations on the left, the selected one (`/inbox/:contactId`) beside them. */
export function InboxScreen() {
  const { user, channel } = useSession();
  const pathname = usePathname();
  const { t } = useTranslation();
  const selectedId = matchPath('/inbox/:contactId', pathname)?.contactId ?? null;
  const [filters, setFilters] = useState(DEFAULT_FILTERS);
  const q = useDebounced(filters.q);
  const tag = useDebounced(filters.tag);
  const queryFilters = useMemo<ConversationFilters>(
    () => ({ status: filters.status, mine: filters.mine, q, tag, channel: filters.channel }),
    [filters.status, filters.mine, q, tag, filters.channel],
  );
  const conversations = useConversations(queryFilters, selectedId);
  const quickReplies = useQuickReplies();
  const channels = useMyChannels();
  const [fetched, setFetched] = useState<Conversation | null>(null);
  const [fetchError, setFetchError] = useState<unknown>(null);

  const listed = conversations.items.find((item) => item.contact.id === selectedId) ?? null;
  const selected = listed ?? (fetched?.contact.id === selectedId ? fetched : null);

  // A thread opened by link may lie outside the list's current page or filters.
  useEffect(() => {
    if (!selectedId || listed || conversations.loading || fetched?.contact.id === selectedId) return;
    setFetchError(null);
    return awaitInEffect(getConversation(selectedId), setFetched, setFetchError);
  }, [selectedId, listed, conversations.loading, fetched]);

  useEvent('contact.updated', (contact) =>
    setFetched((old) => (old?.contact.id === contact.id ? withContact(old, contact) : old)),
  );

  const onConversation = useCallback(
    (conversation: Conversation) => {
      conversations.replace(conversation);
      setFetched((old) => (old?.contact.id === conversation.contact.id ? conversation : old));
    },
    [conversations.replace],
  );

  return (
    <div className="inbox">
      <div className="inbox-list">
        <MessageSearch />
        <ConversationFiltersBar filters={filters} onChange={setFilters} channels={channels} />
        <ConversationList state={conversations} selectedId={selectedId} channels={channels} />
      </div>
      {selected ? (
        <ConversationPane
          key={selected.contact.id}
          conversation={selected}
          quickReplies={quickReplies}
          onConversation={onConversation}
          onSeen={conversations.markSeen}
        />
      ) : selectedId ? (
        <section className="thread thread-empty">
          {fetchError ? <InlineError error={fetchError} /> : <Loading label={t('inbox.openingConversation')} />}
        </section>
      ) : (
        <section className="thread thread-empty">
          <h1>{t('inbox.title')}</h1>
          <p>{t('inbox.choose')}</p>
          {channel === 'sandbox' && user.role === 'admin' ? (
            <p>
              <Trans i18nKey="inbox.noCustomers" components={{ simulate: <Link to="/admin/sandbox">{null}</Link> }} />
            </p>
          ) : null}
        </section>
      )}
    </div>
  );
}
