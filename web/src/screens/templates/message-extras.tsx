import i18next from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../api/types.js';

/** What a bubble can do beyond showing its message: quote it in a reply, react to it. */
export interface MessageActions {
  readonly onReply: (message: Message) => void;
  readonly onReact: (message: Message, emoji: string) => void;
}

const palette = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

function excerpt(message: Message | undefined): string {
  const text = message?.content ?? (message ? i18next.t('inbox.bubble.typed', { type: message.type }) : i18next.t('templates.extras.earlierMessage'));
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** The message a bubble quotes. */
export function QuotedMessage({ quoted }: { readonly quoted: Message | undefined }) {
  const { t } = useTranslation();
  return (
    <blockquote className="bubble-quote" aria-label={t('templates.extras.quoted')}>
      {excerpt(quoted)}
    </blockquote>
  );
}

/** The buttons or list an interactive message carried, and an inbound tap's choice. */
export function InteractiveDetails({ message }: { readonly message: Message }) {
  const { t } = useTranslation();
  const interactive = message.interactive;
  if (interactive?.type === 'button') {
    return (
      <ul className="bubble-buttons" aria-label={t('templates.extras.replyButtons')}>
        {interactive.buttons.map((button) => (
          <li key={button.id}>{button.title}</li>
        ))}
      </ul>
    );
  }
  if (interactive?.type === 'list') {
    return (
      <details className="bubble-list">
        <summary>{interactive.button}</summary>
        <ul>
          {interactive.sections.flatMap((section) => section.rows).map((row) => (
            <li key={row.id}>
              {row.title}
              {row.description ? <span className="hint"> · {row.description}</span> : null}
            </li>
          ))}
        </ul>
      </details>
    );
  }
  return null;
}

/** The reactions on a message, one chip each. */
export function Reactions({ message }: { readonly message: Message }) {
  const { t } = useTranslation();
  const reactions = message.reactions ?? [];
  if (reactions.length === 0) return null;
  return (
    <ul className="bubble-reactions" aria-label={t('templates.extras.reactions')}>
      {reactions.map((reaction, index) => (
        <li key={`${reaction.from}:${reaction.user_id ?? ''}:${index}`} title={reaction.from === 'contact' ? t('templates.extras.fromCustomer') : t('templates.extras.fromAgent')}>
          {reaction.emoji}
        </li>
      ))}
    </ul>
  );
}

/** Reply and react buttons under a message WhatsApp has (it has a wamid). */
export function MessageActionBar({ message, actions }: { readonly message: Message; readonly actions: MessageActions }) {
  const { t } = useTranslation();
  const [picking, setPicking] = useState(false);
  if (!message.external_id) return null;
  return (
    <div className="bubble-actions">
      <button type="button" className="link-button" onClick={() => actions.onReply(message)}>
        {t('templates.extras.reply')}
      </button>
      <button type="button" className="link-button" aria-expanded={picking} onClick={() => setPicking((open) => !open)}>
        {t('templates.extras.react')}
      </button>
      {picking ? (
        <div className="reaction-palette" role="group" aria-label={t('templates.extras.chooseReaction')}>
          {palette.map((emoji) => (
            <button
              type="button"
              key={emoji}
              aria-label={t('templates.extras.reactWith', { emoji })}
              onClick={() => {
                setPicking(false);
                actions.onReact(message, emoji);
              }}
            >
              {emoji}
            </button>
          ))}
          <button
            type="button"
            onClick={() => {
              setPicking(false);
              actions.onReact(message, '');
            }}
          >
            {t('templates.extras.removeReaction')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
