import { useState } from 'react';
import type { Message } from '../../api/types.js';

/** What a bubble can do beyond showing its message: quote it in a reply, react to it. */
export interface MessageActions {
  readonly onReply: (message: Message) => void;
  readonly onReact: (message: Message, emoji: string) => void;
}

const palette = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

function excerpt(message: Message | undefined): string {
  const text = message?.content ?? (message ? `(${message.type} message)` : 'an earlier message');
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** The message a bubble quotes. */
export function QuotedMessage({ quoted }: { readonly quoted: Message | undefined }) {
  return (
    <blockquote className="bubble-quote" aria-label="Quoted message">
      {excerpt(quoted)}
    </blockquote>
  );
}

/** The buttons or list an interactive message carried, and an inbound tap's choice. */
export function InteractiveDetails({ message }: { readonly message: Message }) {
  const interactive = message.interactive;
  if (interactive?.type === 'button') {
    return (
      <ul className="bubble-buttons" aria-label="Reply buttons">
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
  const reactions = message.reactions ?? [];
  if (reactions.length === 0) return null;
  return (
    <ul className="bubble-reactions" aria-label="Reactions">
      {reactions.map((reaction, index) => (
        <li key={`${reaction.from}:${reaction.user_id ?? ''}:${index}`} title={reaction.from === 'contact' ? 'The customer' : 'An agent'}>
          {reaction.emoji}
        </li>
      ))}
    </ul>
  );
}

/** Reply and react buttons under a message WhatsApp has (it has a wamid). */
export function MessageActionBar({ message, actions }: { readonly message: Message; readonly actions: MessageActions }) {
  const [picking, setPicking] = useState(false);
  if (!message.external_id) return null;
  return (
    <div className="bubble-actions">
      <button type="button" className="link-button" onClick={() => actions.onReply(message)}>
        Reply
      </button>
      <button type="button" className="link-button" aria-expanded={picking} onClick={() => setPicking((open) => !open)}>
        React
      </button>
      {picking ? (
        <div className="reaction-palette" role="group" aria-label="Choose a reaction">
          {palette.map((emoji) => (
            <button
              type="button"
              key={emoji}
              aria-label={`React with ${emoji}`}
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
            Remove
          </button>
        </div>
      ) : null}
    </div>
  );
}
