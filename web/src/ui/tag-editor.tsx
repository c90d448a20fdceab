import { useId, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { parseTags } from '../lib/format.js';

interface TagEditorProps {
  readonly label: string;
  readonly tags: readonly string[];
  readonly onChange: (tags: string[]) => void;
  readonly disabled?: boolean;
}

/** Tags as removable chips plus a field that adds new ones on Enter or comma. */
export function TagEditor({ label, tags, onChange, disabled }: TagEditorProps) {
  const [draft, setDraft] = useState('');
  const inputId = useId();
  const { t } = useTranslation();
  const add = () => {
    const added = parseTags(draft).filter((tag) => !tags.includes(tag));
    setDraft('');
    if (added.length > 0) onChange([...tags, ...added]);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      add();
    } else if (event.key === 'Backspace' && draft === '' && tags.length > 0) {
      onChange(tags.slice(0, -1));
    }
  };
  return (
    <div className="tag-editor">
      <label htmlFor={inputId}>{label}</label>
      <ul className="tag-list" aria-label={t('tags.current', { label })}>
        {tags.map((tag) => (
          <li key={tag} className="tag">
            {tag}
            <button
              type="button"
              className="tag-remove"
              aria-label={t('tags.remove', { tag })}
              disabled={disabled}
              onClick={() => onChange(tags.filter((other) => other !== tag))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <input
        id={inputId}
        value={draft}
        disabled={disabled}
        placeholder={t('tags.placeholder')}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
        onBlur={add}
      />
    </div>
  );
}
