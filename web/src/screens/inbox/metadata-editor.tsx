import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormEvent } from 'react';

interface MetadataEditorProps {
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Sends a merge patch: a key set to null is removed, as the contacts API does. */
  readonly onPatch: (patch: Record<string, string | null>) => Promise<void>;
}

function display(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The contact's metadata as a definition list, with add and remove. */
export function MetadataEditor({ metadata, onPatch }: MetadataEditorProps) {
  const { t } = useTranslation();
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const entries = Object.entries(metadata);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!key.trim()) return;
    await onPatch({ [key.trim()]: value });
    setKey('');
    setValue('');
  };

  return (
    <div className="metadata">
      <h3>{t('inbox.details.title')}</h3>
      {entries.length === 0 ? <p className="empty">{t('inbox.details.empty')}</p> : null}
      <dl>
        {entries.map(([name, item]) => (
          <div key={name} className="metadata-row">
            <dt>{name}</dt>
            <dd>
              {display(item)}
              <button
                type="button"
                className="icon-button"
                aria-label={t('inbox.details.remove', { name })}
                onClick={() => void onPatch({ [name]: null })}
              >
                ×
              </button>
            </dd>
          </div>
        ))}
      </dl>
      <form className="metadata-form" onSubmit={submit} aria-label={t('inbox.details.add')}>
        <label className="visually-hidden" htmlFor="metadata-key">
          {t('inbox.details.name')}
        </label>
        <input id="metadata-key" placeholder={t('inbox.details.namePlaceholder')} value={key} onChange={(event) => setKey(event.target.value)} />
        <label className="visually-hidden" htmlFor="metadata-value">
          {t('inbox.details.value')}
        </label>
        <input id="metadata-value" placeholder={t('inbox.details.valuePlaceholder')} value={value} onChange={(event) => setValue(event.target.value)} />
        <button type="submit">{t('inbox.details.submit')}</button>
      </form>
    </div>
  );
}
