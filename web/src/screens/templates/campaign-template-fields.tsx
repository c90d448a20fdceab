import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogueTemplate, TemplateRef } from '../../api/types.js';
import { TemplatePreview, TemplateValueFields, useTemplateValues } from './template-value-fields.js';

export interface CampaignTemplateChoice {
  readonly template: TemplateRef;
  /** The labels of the fields still empty. */
  readonly missing: readonly string[];
}

/** A campaign's template from the catalogue: a field per variable (contact variables allowed) and the preview. */
export function CampaignTemplateFields({ templates, onChange }: { readonly templates: readonly CatalogueTemplate[]; readonly onChange: (choice: CampaignTemplateChoice) => void }) {
  const state = useTemplateValues(templates);
  const { t } = useTranslation();
  const { template, values, missing } = state;
  useEffect(() => {
    onChange({ template: state.ref(), missing });
    // Reported whenever the choice or a value changes.
  }, [template, values]);
  return (
    <div className="template-picker">
      <TemplateValueFields state={state} />
      <TemplatePreview state={state} />
      <p className="hint">{t('templates.picker.campaignHint', { a: '{{name}}', b: '{{phone}}', c: '{{email}}', d: '{{metadata.city}}' })}</p>
    </div>
  );
}
