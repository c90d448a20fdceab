import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormEvent } from 'react';
import { listTemplates } from '../../api/templates.js';
import type { CatalogueTemplate, TemplateRef } from '../../api/types.js';
import { useAsync } from '../../lib/use-async.js';
import { useSubmission } from '../../lib/use-submission.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';
import { TemplateComposer } from '../inbox/template-composer.js';
import { TemplateFormActions } from './template-form-actions.js';
import { TemplatePreview, TemplateValueFields, useTemplateValues } from './template-value-fields.js';

interface TemplatePickerProps {
  readonly onSend: (template: TemplateRef) => Promise<void>;
  readonly onCancel?: () => void;
  /** The channel the message goes out on, when known: only its catalogue is offered. */
  readonly channelId?: string | null | undefined;
}

/** The approved templates of the catalogue (of `channelId`'s when given); undefined while loading. */
export function useApprovedTemplates(channelId?: string | null): readonly CatalogueTemplate[] | undefined {
  const catalogue = useAsync(() => listTemplates({ status: 'APPROVED', ...(channelId ? { channel_id: channelId } : {}) }), [channelId]);
  return catalogue.data ?? (catalogue.loading ? undefined : []);
}

/**
 * Sends a template of the catalogue: choose one, fill a field per variable (uploading a header's
 * media), and see the message as the customer will. Without a catalogue, the free-form composer.
 */
export function TemplatePicker({ onSend, onCancel, channelId }: TemplatePickerProps) {
  const templates = useApprovedTemplates(channelId);
  const { t } = useTranslation();
  if (templates === undefined) return <Loading label={t('templates.loading')} />;
  if (templates.length === 0) return <TemplateComposer onSend={onSend} {...(onCancel ? { onCancel } : {})} />;
  return <CatalogueForm templates={templates} onSend={onSend} {...(onCancel ? { onCancel } : {})} />;
}

function CatalogueForm({ templates, onSend, onCancel }: TemplatePickerProps & { readonly templates: readonly CatalogueTemplate[] }) {
  const state = useTemplateValues(templates);
  const { t } = useTranslation();
  const sending = useSubmission();
  const { setError } = sending;
  // An error about the values is stale once they change.
  useEffect(() => setError(null), [setError, state.values, state.template]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (state.missing.length > 0) return setError(t('templates.picker.fillIn', { fields: state.missing.join(', ') }));
    void sending.run(async () => {
      await onSend(state.ref());
      state.reset();
    });
  };

  return (
    <form className="template-picker" onSubmit={submit} aria-label={t('templates.picker.label')}>
      <TemplateValueFields state={state} />
      <TemplatePreview state={state} />
      <InlineError error={sending.error ?? state.uploadError} />
      <TemplateFormActions busy={sending.busy || state.uploading} onCancel={onCancel} />
    </form>
  );
}
