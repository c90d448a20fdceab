import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormEvent, KeyboardEvent, ReactNode } from 'react';
import { ApiError } from '../../api/api-error.js';
import type { QuickReply } from '../../api/types.js';
import { InlineError } from '../../ui/inline-error.js';
import { matchingReplies, slashQuery } from './use-quick-replies.js';

interface ComposerProps {
  readonly quickReplies: readonly QuickReply[];
  readonly onSend: (text: string) => Promise<void>;
  readonly onWindowClosed: () => void;
  readonly onUseTemplate: () => void;
  readonly onManageQuickReplies: () => void;
  readonly onUseInteractive?: () => void;
  /** Stores the text as a private note in the thread instead of sending it. */
  readonly onNote?: (text: string) => Promise<void>;
  /** More buttons before the composer's own (attaching a file). */
  readonly extraActions?: ReactNode;
}

/**
 * The free-text composer. Enter sends, Shift+Enter adds a line, and "/" opens the quick replies
 * as a listbox driven from the textbox (arrows choose, Enter or Tab insert, Escape closes).
 */
export function Composer({ quickReplies, onSend, onWindowClosed, onUseTemplate, onManageQuickReplies, onUseInteractive, onNote, extraActions }: ComposerProps) {
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const { t } = useTranslation();

  const slash = slashQuery(text, caret);
  const matches = slash && dismissedAt !== slash.start ? matchingReplies(quickReplies, slash.query) : [];
  const menuOpen = matches.length > 0;
  const activeIndex = Math.min(active, matches.length - 1);

  const insert = (reply: QuickReply) => {
    if (!slash) return;
    const next = text.slice(0, slash.start) + reply.text + text.slice(caret);
    const position = slash.start + reply.text.length;
    setText(next);
    setCaret(position);
    setActive(0);
    requestAnimationFrame(() => {
      textareaRef.current?.setSelectionRange(position, position);
      textareaRef.current?.focus();
    });
  };

  const send = async (as: 'message' | 'note' = 'message') => {
    const content = text.trim();
    if (!content || busy) return;
    setBusy(true);
    setError(null);
    try {
      await (as === 'note' && onNote ? onNote(content) : onSend(content));
      setText('');
      setCaret(0);
    } catch (reason) {
      if (reason instanceof ApiError && reason.code === 'window_closed') onWindowClosed();
      setError(reason);
    } finally {
      setBusy(false);
      textareaRef.current?.focus();
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return;
    if (menuOpen) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((activeIndex + step + matches.length) % matches.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        const chosen = matches[activeIndex];
        if (chosen) insert(chosen);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setDismissedAt(slash?.start ?? null);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void send();
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };

  return (
    <form className="composer" onSubmit={submit}>
      {menuOpen ? (
        <ul className="quick-reply-menu" role="listbox" id={listId} aria-label={t('inbox.composer.quickReplies')}>
          {matches.map((reply, index) => (
            <li
              key={reply.id}
              id={`${listId}-${reply.id}`}
              role="option"
              aria-selected={index === activeIndex}
              className={index === activeIndex ? 'active' : undefined}
              onMouseDown={(event) => {
                event.preventDefault();
                insert(reply);
              }}
            >
              <strong>/{reply.shortcut}</strong> <span>{reply.text}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <label htmlFor="composer-text" className="visually-hidden">
        {t('inbox.composer.message')}
      </label>
      <textarea
        id="composer-text"
        ref={textareaRef}
        rows={2}
        value={text}
        placeholder={t('inbox.composer.placeholder')}
        aria-autocomplete="list"
        aria-controls={menuOpen ? listId : undefined}
        aria-activedescendant={menuOpen && matches[activeIndex] ? `${listId}-${matches[activeIndex].id}` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          setCaret(event.target.selectionStart);
          setActive(0);
        }}
        onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
      />
      <InlineError error={error} />
      <div className="composer-actions">
        {extraActions}
        <button type="button" onClick={onManageQuickReplies}>
          {t('inbox.composer.quickReplies')}
        </button>
        <button type="button" onClick={onUseTemplate}>
          {t('inbox.composer.useTemplate')}
        </button>
        {onUseInteractive ? (
          <button type="button" onClick={onUseInteractive}>
            {t('inbox.composer.buttonsOrList')}
          </button>
        ) : null}
        {onNote ? (
          <button type="button" disabled={busy || !text.trim()} onClick={() => void send('note')}>
            {t('inbox.composer.addNote')}
          </button>
        ) : null}
        <button type="submit" className="primary" disabled={busy || !text.trim()}>
          {t('inbox.composer.send')}
        </button>
      </div>
    </form>
  );
}
