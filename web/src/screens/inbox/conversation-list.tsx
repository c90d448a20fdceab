import { useEffect, useRef } from 'react';
import type { ChannelSummary, Conversation } from '../../api/types.js';
import { ChannelBadge } from '../channels/channel-badge.js';
import { contactLabel, formatListTime } from '../../lib/format.js';
import { Link } from '../../router/link.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';
import type { ConversationsState } from './use-conversations.js';

function preview(conversation: Conversation): string {
  const message = conversation.last_message;
  if (!message) return 'No messages yet';
  const text = message.content ?? (message.template ? `Template ${message.template.name}` : message.type);
  if (message.direction === 'internal') return `Note: ${text}`;
  return message.direction === 'outbound' ? `You: ${text}` : text;
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
    <nav className="conversation-list" aria-label="Conversations">
      <InlineError error={state.error} />
      {state.loading && state.items.length === 0 ? <Loading label="Loading conversations…" /> : null}
      {!state.loading && state.items.length === 0 && !state.error ? <p className="empty">No conversations match.</p> : null}
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
                    <span className="badge" aria-label={`${conversation.unread_count} unread`}>
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
              Load more conversations
            </button>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
