import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormEvent } from 'react';
import type { TemplateRef } from '../../api/types.js';
import { InlineError } from '../../ui/inline-error.js';
import { EMPTY_TEMPLATE, TemplateFields, templateFromDraft } from '../../ui/template-fields.js';
import type { TemplateDraft } from '../../ui/template-fields.js';
import { recentTemplates, rememberTemplate } from './recent-templates.js';

interface TemplateComposerProps {
  readonly onSend: (template: TemplateRef) => Promise<void>;
  readonly onCancel?: () => void;
}

/** The template picker: what an agent may send when the 24-hour window is closed. */
export function TemplateComposer({ onSend, onCancel }: TemplateComposerProps) {
  const [draft, setDraft] = useState<TemplateDraft>(() => {
    const [recent] = recentTemplates();
    return recent ? { ...EMPTY_TEMPLATE, name: recent.name, language: recent.language } : EMPTY_TEMPLATE;
  });
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft.name.trim()) {
      setError(t('inbox.templateComposer.chooseName'));
      return;
    }
    const template = templateFromDraft(draft);
    setBusy(true);
    setError(null);
    try {
      await onSend(template);
      rememberTemplate(template);
      setDraft((old) => ({ ...old, variables: '' }));
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="template-composer" onSubmit={submit} aria-label={t('templates.picker.label')}>
      <TemplateFields draft={draft} onChange={setDraft} suggestions={recentTemplates()} />
      <InlineError error={error} />
      <div className="actions">
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {t('templates.picker.backToText')}
          </button>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {t('templates.picker.send')}
        </button>
      </div>
    </form>
  );
}
