import i18next from 'i18next';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelSummary, Conversation } from '../../api/types.js';
import { ChannelBadge } from '../channels/channel-badge.js';
import { contactLabel, formatListTime } from '../../lib/format.js';
import { Link } from '../../router/link.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';
import type { ConversationsState } from './use-conversations.js';

function preview(conversation: Conversation): string {
  const message = conversation.last_message;
  if (!message) return i18next.t('inbox.list.noMessages');
  const text = message.content ?? (message.template ? i18next.t('inbox.list.template', { name: message.template.name }) : message.type);
  if (message.direction === 'internal') return i18next.t('inbox.list.note', { text });
  return message.direction === 'outbound' ? i18next.t('inbox.list.you', { text }) : text;
}

interface ConversationListProps {
  readonly state: ConversationsState;
  readonly selectedId: string | null;
  readonly channels: readonly ChannelSummary[];
}

/** Conversations, newest activity first; scrolling to the end loads the next page. */
export function ConversationList({ state, selectedId, channels }: ConversationListProps) {
  const sentinel = useRef<HTMLLIElement>(null);
  const { hasMore, loadMore } = state;
  const { t } = useTranslation();

  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasMore) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) loadMore();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasMore, loadMore]);

  return (
    <nav className="conversation-list" aria-label={t('inbox.list.label')}>
      <InlineError error={state.error} />
      {state.loading && state.items.length === 0 ? <Loading label={t('inbox.list.loading')} /> : null}
      {!state.loading && state.items.length === 0 && !state.error ? <p className="empty">{t('inbox.list.empty')}</p> : null}
      <ul>
        {state.items.map((conversation) => {
          const { contact } = conversation;
          const time = conversation.last_message?.created_at;
          return (
            <li key={contact.id}>
              <Link
                to={`/inbox/${contact.id}`}
                className={`conversation-item${contact.id === selectedId ? ' selected' : ''}${conversation.unread_count > 0 ? ' unread' : ''}`}
                aria-current={contact.id === selectedId ? 'true' : undefined}
              >
                <span className="conversation-top">
                  <span className="conversation-name">{contactLabel(contact)}</span>
                  <ChannelBadge channelId={conversation.channel_id} channels={channels} />
                  {time ? <time dateTime={time}>{formatListTime(time)}</time> : null}
                </span>
                <span className="conversation-bottom">
                  <span className="conversation-preview">{preview(conversation)}</span>
                  {conversation.unread_count > 0 ? (
                    <span className="badge" aria-label={t('inbox.list.unread', { count: conversation.unread_count })}>
                      {conversation.unread_count}
                    </span>
                  ) : null}
                </span>
              </Link>
            </li>
          );
        })}
        {hasMore ? (
          <li ref={sentinel}>
            <button type="button" className="link-button" onClick={loadMore}>
              {t('inbox.list.loadMore')}
            </button>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
