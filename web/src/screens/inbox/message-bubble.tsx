import i18next from 'i18next';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../api/types.js';
import { formatDateTime, formatListTime, formatTime } from '../../lib/format.js';
import { StatusIcon } from '../../ui/status-icon.js';
import { InteractiveDetails, MessageActionBar, QuotedMessage, Reactions, type MessageActions } from '../templates/message-extras.js';
import { hasRichContent, mediaCaption, MessageMedia } from './media/message-media.js';

function bodyOf(message: Message): string {
  if (message.type === 'template' && message.template) {
    return message.content || i18next.t('inbox.bubble.templateBody', { name: message.template.name, language: message.template.language });
  }
  return message.content ?? i18next.t('inbox.bubble.typed', { type: message.type });
}

function timeLabel(iso: string): string {
  const today = new Date().toDateString() === new Date(iso).toDateString();
  return today ? formatTime(iso) : `${formatListTime(iso)} ${formatTime(iso)}`;
}

/** One message: inbound on the left, outbound on the right with its delivery status. */
export const MessageBubble = memo(function MessageBubble({
  message,
  quoted,
  actions,
}: {
  readonly message: Message;
  readonly quoted?: Message | undefined;
  readonly actions?: MessageActions | undefined;
}) {
  // Subscribes the memoised bubble to language changes.
  const { t } = useTranslation();
  if (message.direction === 'internal') {
    return (
      <div className="bubble-row bubble-row-note">
        <article className="bubble bubble-note" aria-label={t('inbox.bubble.privateNote')}>
          <p className="bubble-kind">{t('inbox.bubble.privateNoteKind')}</p>
          <p className="bubble-text">{message.content}</p>
          <footer className="bubble-meta">
            <time dateTime={message.created_at} title={formatDateTime(message.created_at)}>
              {timeLabel(message.created_at)}
            </time>
          </footer>
        </article>
      </div>
    );
  }
  const automatic = message.direction === 'outbound' && typeof message.metadata?.['automation_id'] === 'string';
  const outbound = message.direction === 'outbound';
  return (
    <div className={`bubble-row ${outbound ? 'bubble-row-out' : 'bubble-row-in'}`}>
      <article
        className={`bubble ${outbound ? 'bubble-out' : 'bubble-in'}`}
        aria-label={outbound ? t('inbox.bubble.sent') : t('inbox.bubble.received')}
      >
        {message.type === 'template' ? <p className="bubble-kind">{t('inbox.bubble.templateKind', { name: message.template?.name ?? '' })}</p> : null}
        {message.reply_to ? <QuotedMessage quoted={quoted} /> : null}
        {automatic ? <p className="bubble-kind">{t('inbox.bubble.automatic')}</p> : null}
        <MessageMedia message={message} />
        {!hasRichContent(message) ? <p className="bubble-text">{bodyOf(message)}</p> : message.media && mediaCaption(message) ? <p className="bubble-text">{mediaCaption(message)}</p> : null}
        <InteractiveDetails message={message} />
        <Reactions message={message} />
        <footer className="bubble-meta">
          <time dateTime={message.created_at} title={formatDateTime(message.created_at)}>
            {timeLabel(message.created_at)}
          </time>
          {outbound ? <StatusIcon message={message} /> : null}
        </footer>
        {actions ? <MessageActionBar message={message} actions={actions} /> : null}
      </article>
    </div>
  );
});
