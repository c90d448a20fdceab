import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormEvent } from 'react';
import { Dialog } from '../../ui/dialog.js';
import { InlineError } from '../../ui/inline-error.js';
import type { QuickRepliesState } from './use-quick-replies.js';

interface QuickRepliesDialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly replies: QuickRepliesState;
}

/** Lists, adds and deletes the saved snippets. */
export function QuickRepliesDialog({ open, onClose, replies }: QuickRepliesDialogProps) {
  const { t } = useTranslation();
  const [shortcut, setShortcut] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The server accepts lowercase letters, digits, "_" and "-": what can be typed after "/".
    const cleanShortcut = shortcut.trim().replace(/^\//, '').toLowerCase();
    if (cleanShortcut && !/^[a-z0-9_-]{1,32}$/.test(cleanShortcut)) {
      setError(t('inbox.quickReplies.badShortcut'));
      return;
    }
    if (!cleanShortcut || !text.trim()) {
      setError(t('inbox.quickReplies.missing'));
      return;
    }
    try {
      await replies.add(cleanShortcut, text.trim());
      setShortcut('');
      setText('');
      setError(null);
    } catch (reason) {
      setError(reason);
    }
  };

  return (
    <Dialog title={t('inbox.quickReplies.title')} open={open} onClose={onClose}>
      <p className="hint">{t('inbox.quickReplies.hint')}</p>
      <ul className="quick-reply-list">
        {replies.items.map((item) => (
          <li key={item.id}>
            <span>
              <strong>/{item.shortcut}</strong> {item.text}
            </span>
            <button
              type="button"
              aria-label={t('inbox.quickReplies.deleteLabel', { shortcut: item.shortcut })}
              onClick={() => replies.remove(item.id).catch((reason: unknown) => setError(reason))}
            >
              {t('inbox.quickReplies.delete')}
            </button>
          </li>
        ))}
        {replies.items.length === 0 ? <li className="empty">{t('inbox.quickReplies.empty')}</li> : null}
      </ul>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="quick-reply-shortcut">{t('inbox.quickReplies.shortcut')}</label>
          <input
            id="quick-reply-shortcut"
            value={shortcut}
            onChange={(event) => setShortcut(event.target.value)}
            placeholder={t('inbox.quickReplies.shortcutPlaceholder')}
          />
        </div>
        <div className="field">
          <label htmlFor="quick-reply-text">{t('inbox.quickReplies.text')}</label>
          <textarea id="quick-reply-text" rows={3} value={text} onChange={(event) => setText(event.target.value)} />
        </div>
        <InlineError error={error} />
        <button type="submit" className="primary">
          {t('inbox.quickReplies.add')}
        </button>
      </form>
    </Dialog>
  );
}
