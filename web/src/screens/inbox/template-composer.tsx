import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormEvent } from 'react';
import type { TemplateRef } from '../../api/types.js';
import { useSubmission } from '../../lib/use-submission.js';
import { InlineError } from '../../ui/inline-error.js';
import { TemplateFormActions } from '../templates/template-form-actions.js';
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
  const sending = useSubmission();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.name.trim()) return sending.setError(t('inbox.templateComposer.chooseName'));
    const template = templateFromDraft(draft);
    void sending.run(async () => {
      await onSend(template);
      rememberTemplate(template);
      setDraft((old) => ({ ...old, variables: '' }));
    });
  };

  return (
    <form className="template-composer" onSubmit={submit} aria-label={t('templates.picker.label')}>
      <TemplateFields draft={draft} onChange={setDraft} suggestions={recentTemplates()} />
      <InlineError error={sending.error} />
      <TemplateFormActions busy={sending.busy} onCancel={onCancel} />
    </form>
  );
}
